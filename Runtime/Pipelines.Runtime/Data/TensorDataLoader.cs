using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Data;

/// <summary>
/// The engine tests' minimal loader (<see cref="BatchLoader"/> is the public one): batches over
/// in-memory (inputs, targets) tensors, PyTorch's <c>DataLoader(TensorDataset)</c>:
/// without shuffling a batch is a pair of views (<c>narrow</c>); with shuffling, one
/// <c>index_select</c> per field over an order drawn from a generator seeded once, so two loaders
/// with the same seed yield the same batches.
/// </summary>
internal sealed class TensorDataLoader : IBatchSource<Batch>, IDisposable
{
    readonly Tensor inputs;
    readonly Tensor targets;
    readonly long length;
    readonly Random? random;
    readonly long[]? order;
    readonly Device? device;
    Tensor? permutation;

    /// <summary>Creates a loader; <paramref name="inputs"/> and <paramref name="targets"/> must have the same first dimension.</summary>
    /// <param name="inputs">Inputs, examples along dimension 0.</param>
    /// <param name="targets">Targets, examples along dimension 0.</param>
    /// <param name="batchSize">Examples per batch.</param>
    /// <param name="shuffle">Draw a new order at every pass.</param>
    /// <param name="dropLast">Leave out a last, smaller batch.</param>
    /// <param name="seed">Seeds the shuffling generator (a random seed when null).</param>
    /// <param name="device">Moves each batch to this device (the data stays where it is).</param>
    public TensorDataLoader(Tensor inputs, Tensor targets, int batchSize, bool shuffle = false, bool dropLast = false, int? seed = null, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (inputs.ndim < 1 || targets.ndim < 1)
            throw new ArgumentException("Inputs and targets need a batch dimension.");
        length = inputs.size(0);
        if (targets.size(0) != length)
            throw new ArgumentException($"{length} inputs but {targets.size(0)} targets: the first dimensions must match.", nameof(targets));
        this.inputs = inputs;
        this.targets = targets;
        BatchSize = batchSize;
        DropLast = dropLast;
        this.device = device;
        if (shuffle)
        {
            random = seed is { } s ? new Random(s) : new Random();
            order = new long[length];
            for (var i = 0; i < order.Length; i++)
                order[i] = i;
        }
        Count = (int)(dropLast ? length / batchSize : (length + batchSize - 1) / batchSize);
    }

    /// <summary>Examples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether a last, smaller batch is left out.</summary>
    public bool DropLast { get; }

    /// <inheritdoc />
    public int Count { get; }

    /// <inheritdoc />
    public void StartPass()
    {
        if (random is null || order is null)
            return;
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        permutation?.Dispose();
        // Created in a scope of its own and detached: it must outlive the caller's iteration scopes.
        using var scope = torch.NewDisposeScope();
        permutation = scope.Detach(torch.tensor(order, device: inputs.device));
    }

    /// <inheritdoc />
    public Batch GetBatch(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var start = (long)index * BatchSize;
        var size = Math.Min(BatchSize, length - start);
        Tensor input, target;
        if (random is null)
        {
            input = inputs.narrow(0, start, size);
            target = targets.narrow(0, start, size);
        }
        else
        {
            if (permutation is null)
                StartPass();
            var indexes = permutation!.narrow(0, start, size);
            input = inputs.index_select(0, indexes);
            target = targets.index_select(0, indexes);
        }
        if (device is { } d)
        {
            input = input.to(d, non_blocking: true);
            target = target.to(d, non_blocking: true);
        }
        return new Batch(input, target);
    }

    /// <summary>Frees the shuffled order (the data tensors belong to the caller).</summary>
    public void Dispose()
    {
        permutation?.Dispose();
        permutation = null;
    }
}
