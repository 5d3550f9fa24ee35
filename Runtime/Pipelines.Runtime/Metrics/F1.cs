using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Metrics;

/// <summary>The F1 score, <c>2tp / (2tp + fp + fn)</c>, per class then averaged (macro) or pooled (micro). Counts accumulate on the device in a <see cref="ConfusionMatrix"/>.</summary>
public sealed partial class F1 : IMetric<double>, IDisposable
{
    readonly ConfusionMatrix matrix;

    /// <summary>Creates the score over <paramref name="numClasses"/> classes.</summary>
    public F1(int numClasses, Averaging averaging = Averaging.Macro)
    {
        matrix = new ConfusionMatrix(numClasses);
        Averaging = averaging;
    }

    /// <summary>How the per-class scores are combined.</summary>
    public Averaging Averaging { get; }

    /// <summary>Accumulates a batch, as <see cref="ConfusionMatrix.Update"/>.</summary>
    public void Update(Tensor scores, Tensor targets) => matrix.Update(scores, targets);

    /// <inheritdoc />
    public void Reset() => matrix.Reset();

    /// <inheritdoc />
    public double Compute() => ClassificationScores.F1(matrix.Compute(), Averaging);

    /// <summary>Frees the device accumulators.</summary>
    public void Dispose() => matrix.Dispose();
}
