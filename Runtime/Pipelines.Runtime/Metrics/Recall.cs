namespace Pipelines.Metrics;

/// <summary>Recall, <c>tp / (tp + fn)</c>, per class then averaged (macro) or pooled (micro). Counts accumulate on the device in a <see cref="ConfusionMatrix"/>.</summary>
public sealed class Recall : ClassificationScore
{
    /// <summary>Creates the score over <paramref name="numClasses"/> classes.</summary>
    public Recall(int numClasses, Averaging averaging = Averaging.Macro)
        : base(numClasses, averaging)
    {
    }

    private protected override double Score(double tp, double fp, double fn) => Ratio(tp, tp + fn);
}
