using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Data;

/// <summary>
/// The example indexes of one batch: positions <see cref="Start"/> .. <see cref="Start"/> +
/// <see cref="Length"/> - 1 of the pass's order. Read them as a span (per-example datasets) or as
/// an int64 tensor (<see cref="AsTensor"/>, for <c>index_select</c>); when
/// <see cref="IsSequential"/> the indexes are that very range, so a dataset may slice a view.
/// </summary>
public readonly struct BatchIndexes
{
    readonly PassOrder? order;

    internal BatchIndexes(PassOrder order, int start, int length)
    {
        this.order = order;
        Start = start;
        Length = length;
    }

    PassOrder Order => order ?? throw new InvalidOperationException("These batch indexes were not created by a BatchLoader.");

    /// <summary>The position of the batch's first example in the pass's order.</summary>
    public int Start { get; }

    /// <summary>The number of examples in the batch.</summary>
    public int Length { get; }

    /// <summary>Whether the indexes are <see cref="Start"/>, <see cref="Start"/> + 1, ... (no shuffling, and no <see cref="BatchLoaderOptions.Shard"/> of several ranks).</summary>
    public bool IsSequential => Order.Sequential;

    /// <summary>The indexes, in batch order.</summary>
    public ReadOnlySpan<long> Span => Order.Indexes.AsSpan(Start, Length);

    /// <summary>
    /// The indexes as an int64 tensor on <paramref name="device"/>: a view (<c>narrow</c>) of the
    /// pass's order, which is uploaded once per pass and device, not once per batch.
    /// </summary>
    public Tensor AsTensor(Device device) => Order.Tensor(device).narrow(0, Start, Length);
}
