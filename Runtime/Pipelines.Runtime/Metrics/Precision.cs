namespace Pipelines.Metrics;

/// <summary>Precision, <c>tp / (tp + fp)</c>, per class then averaged (macro) or pooled (micro). Counts accumulate on the device in a <see cref="ConfusionMatrix"/>.</summary>
public sealed class Precision : ClassificationScore
{
    /// <summary>Creates the score over <paramref name="numClasses"/> classes.</summary>
    public Precision(int numClasses, Averaging averaging = Averaging.Macro)
        : base(numClasses, averaging)
    {
    }

    private protected override double Score(double tp, double fp, double fn) => Ratio(tp, tp + fp);
}
