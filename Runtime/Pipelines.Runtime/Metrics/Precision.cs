using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Metrics;

/// <summary>Precision, <c>tp / (tp + fp)</c>, per class then averaged (macro) or pooled (micro). Counts accumulate on the device in a <see cref="ConfusionMatrix"/>.</summary>
public sealed partial class Precision : IMetric<double>, IDisposable
{
    readonly ConfusionMatrix matrix;

    /// <summary>Creates the score over <paramref name="numClasses"/> classes.</summary>
    public Precision(int numClasses, Averaging averaging = Averaging.Macro)
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
    public double Compute() => ClassificationScores.Precision(matrix.Compute(), Averaging);

    /// <summary>Frees the device accumulators.</summary>
    public void Dispose() => matrix.Dispose();
}
