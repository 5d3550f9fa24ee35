using Pipelines.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Metrics;

/// <summary>
/// Counts of (target, prediction) pairs over <see cref="NumClasses"/> classes: row = target,
/// column = predicted class. Accumulated on the device as a one-hot product (no per-example host work);
/// in a data-parallel run, <see cref="Compute"/> sums the ranks' matrices (every rank must call it).
/// </summary>
public sealed partial class ConfusionMatrix : IMetric<long[,]>, IDisposable
{
    Tensor? counts;
    Tensor? restored;
    Tensor? classes;

    /// <summary>Creates a matrix for classes 0 .. <paramref name="numClasses"/> - 1.</summary>
    public ConfusionMatrix(int numClasses)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 2);
        NumClasses = numClasses;
    }

    /// <summary>The number of classes.</summary>
    public int NumClasses { get; }

    /// <summary>Accumulates a batch: <paramref name="scores"/> [N, C] (the arg-max is the prediction) or predicted classes [N]; <paramref name="targets"/> [N].</summary>
    public void Update(Tensor scores, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(targets);
        using var scope = torch.NewDisposeScope();
        if (classes is null)
            classes = scope.Detach(torch.arange(NumClasses, ScalarType.Int64, scores.device));
        var predicted = scores.ndim == 2 ? scores.detach().argmax(1) : scores.detach();
        var targetOneHot = targets.unsqueeze(1).eq(classes).to(ScalarType.Float64);
        var predictedOneHot = predicted.unsqueeze(1).eq(classes).to(ScalarType.Float64);
        var batch = targetOneHot.t().matmul(predictedOneHot);
        if (counts is null)
        {
            counts = scope.Detach(batch);
            if (restored is not null)
            {
                counts.add_(restored.to(counts.device));
                restored.Dispose();
                restored = null;
            }
        }
        else
            counts.add_(batch);
    }

    /// <inheritdoc />
    public void Reset()
    {
        counts?.Dispose();
        counts = null;
        restored?.Dispose();
        restored = null;
    }

    /// <inheritdoc />
    public long[,] Compute()
    {
        var accumulated = counts ?? restored;
        var world = ProcessGroup.MetricWorld;
        if (accumulated is null && world is null)
            throw new InvalidOperationException("ConfusionMatrix: Compute() needs at least one Update() since the last Reset().");
        // TorchSharp reads elements only from CPU tensors: one copy of the matrix, once per Compute.
        double[] values;
        if (accumulated is null)
            values = new double[NumClasses * NumClasses];
        else
            using (var host = accumulated.cpu())
                values = host.data<double>().ToArray();
        // A data-parallel run sums the ranks' matrices (a rank that saw nothing adds zeros).
        world?.SumOverRanks(values);
        if (world is not null && values.All(v => v == 0) && accumulated is null)
            throw new InvalidOperationException("ConfusionMatrix: Compute() needs at least one Update() since the last Reset(), on some rank.");
        var result = new long[NumClasses, NumClasses];
        for (var i = 0; i < NumClasses; i++)
            for (var j = 0; j < NumClasses; j++)
                result[i, j] = (long)values[i * NumClasses + j];
        return result;
    }

    /// <summary>Frees the device accumulators.</summary>
    public void Dispose()
    {
        Reset();
        classes?.Dispose();
        classes = null;
    }
}
