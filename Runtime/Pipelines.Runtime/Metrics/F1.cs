namespace Pipelines.Metrics;

/// <summary>The F1 score, <c>2tp / (2tp + fp + fn)</c>, per class then averaged (macro) or pooled (micro). Counts accumulate on the device in a <see cref="ConfusionMatrix"/>.</summary>
public sealed class F1 : ClassificationScore
{
    /// <summary>Creates the score over <paramref name="numClasses"/> classes.</summary>
    public F1(int numClasses, Averaging averaging = Averaging.Macro)
        : base(numClasses, averaging)
    {
    }

    private protected override double Score(double tp, double fp, double fn) => Ratio(2 * tp, 2 * tp + fp + fn);
}
