using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Data;

/// <summary>How a <see cref="BatchLoader"/> batches, orders, moves and prefetches (PyTorch's <c>DataLoader</c> arguments).</summary>
public sealed class BatchLoaderOptions
{
    /// <summary>Examples per batch; at least 1.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Draw a new permutation at every pass (from <see cref="Seed"/> and the pass number).</summary>
    public bool Shuffle { get; init; }

    /// <summary>
    /// Leave out a last, smaller batch; with a <see cref="Shard"/> of several ranks, also leave out
    /// the last examples of the permutation that do not divide among the ranks (instead of padding).
    /// </summary>
    public bool DropLast { get; init; }

    /// <summary>
    /// The share of every pass this loader delivers in data-parallel training (PyTorch's
    /// <c>DistributedSampler</c>): every rank draws the same permutation of the whole dataset, which
    /// is padded by repeating its head (or, with <see cref="DropLast"/>, cut) to a multiple of the
    /// world size; rank r takes its positions r, r + n, r + 2n, ... . Every rank then has the same
    /// number of examples and batches. The default is <see cref="DataShard.Launcher"/>: this process's
    /// rank among those MPI's launcher started (<c>mpiexec.mpich -n N</c>), and without a launcher
    /// <see cref="DataShard.Whole"/>, the single-process loader, order included.
    /// </summary>
    public DataShard Shard { get; init; } = DataShard.Launcher;

    /// <summary>The seed of the shuffling and of random transforms; a random one (readable from <see cref="BatchLoader.State"/>) when null.</summary>
    public long? Seed { get; init; }

    /// <summary>
    /// How many batches a background thread builds ahead of the training thread (0: batches are
    /// built on the training thread when asked for). The queue is bounded by this number.
    /// </summary>
    public int PrefetchBatches { get; init; } = 2;

    /// <summary>Moves each batch to this device before the transforms run (the dataset stays where it is).</summary>
    public Device? Device { get; init; }

    /// <summary>
    /// Copies host batches through page-locked memory with non-blocking copies when
    /// <see cref="Device"/> is a CUDA device (PyTorch's <c>pin_memory</c>); null means "when the
    /// device is CUDA". Ignored for other devices.
    /// </summary>
    public bool? PinMemory { get; init; }

    /// <summary>Batch transforms, applied in order on the target device.</summary>
    public IReadOnlyList<IBatchTransform> Transforms { get; init; } = [];

    /// <summary>Stops the prefetch thread and makes a waiting <c>GetBatch</c> throw <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> or <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfNegative(PrefetchBatches, nameof(PrefetchBatches));
        if (Shard.WorldSize < 1)
            throw new ArgumentOutOfRangeException(nameof(Shard), Shard.WorldSize, "Shard: the world size must be at least 1 (default(DataShard) has none; use DataShard.Whole or new DataShard(rank, worldSize)).");
        if (Shard.WorldSize > 1 && Shuffle && Seed is null)
            throw new ArgumentException($"Seed: a shuffled loader sharded over {Shard.WorldSize} ranks needs a seed every rank shares, or the ranks' permutations (and so their shards) would overlap.", nameof(Seed));
        ArgumentNullException.ThrowIfNull(Transforms, nameof(Transforms));
        for (var i = 0; i < Transforms.Count; i++)
            if (Transforms[i] is null)
                throw new ArgumentException($"Transforms[{i}] is null.", nameof(Transforms));
    }
}
