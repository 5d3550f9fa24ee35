using Pipelines.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Data;

/// <summary>
/// In-memory (inputs, targets) tensors, PyTorch's <c>TensorBatchDataset</c>, with the fast path: a batch
/// is one <c>narrow</c> per field (a view) without shuffling, one <c>index_select</c> per field
/// with it; never per-example work. The tensors stay the caller's (this does not dispose them).
/// </summary>
public sealed class TensorBatchDataset : IBatchDataset, IDataset<Batch>
{
    readonly Tensor inputs;
    readonly Tensor targets;

    /// <summary>A dataset over <paramref name="inputs"/> and <paramref name="targets"/>, examples along dimension 0 of both.</summary>
    /// <exception cref="ArgumentException">When a tensor has no batch dimension or the first dimensions differ.</exception>
    public TensorBatchDataset(Tensor inputs, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.ndim < 1 || targets.ndim < 1)
            throw new ArgumentException("Inputs and targets need a batch dimension (dimension 0).");
        var n = inputs.size(0);
        if (targets.size(0) != n)
            throw new ArgumentException($"{n} inputs but {targets.size(0)} targets: the first dimensions must match.", nameof(targets));
        if (n > int.MaxValue)
            throw new ArgumentException($"{n} examples: at most {int.MaxValue} are supported.", nameof(inputs));
        this.inputs = inputs;
        this.targets = targets;
        Count = (int)n;
    }

    /// <inheritdoc cref="IBatchDataset.Count" />
    public int Count { get; }

    /// <inheritdoc />
    public Batch GetBatch(in BatchIndexes indexes)
    {
        if (indexes.IsSequential)
            return new Batch(inputs.narrow(0, indexes.Start, indexes.Length), targets.narrow(0, indexes.Start, indexes.Length));
        var inputIndexes = indexes.AsTensor(inputs.device);
        var targetIndexes = Devices.Same(targets, inputs) ? inputIndexes : indexes.AsTensor(targets.device);
        return new Batch(inputs.index_select(0, inputIndexes), targets.index_select(0, targetIndexes));
    }

    /// <summary>The example at <paramref name="index"/>: views of row <paramref name="index"/> of both tensors.</summary>
    public Batch Get(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return new Batch(inputs[index], targets[index]);
    }
}
