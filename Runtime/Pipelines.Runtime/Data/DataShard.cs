namespace Pipelines.Data;

/// <summary>
/// Which share of every pass a <see cref="BatchLoader"/> delivers in data-parallel training
/// (PyTorch's <c>DistributedSampler</c>): every rank draws the same permutation, and rank
/// <see cref="Rank"/> takes its positions <see cref="Rank"/>, <see cref="Rank"/> + <see cref="WorldSize"/>, ...
/// </summary>
public readonly record struct DataShard
{
    /// <summary>Rank <paramref name="rank"/> of <paramref name="worldSize"/> processes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="worldSize"/> is below 1 or <paramref name="rank"/> is not in [0, <paramref name="worldSize"/>).</exception>
    public DataShard(int rank, int worldSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        if (rank < 0 || rank >= worldSize)
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"The rank must be in [0, {worldSize}) for a world size of {worldSize}.");
        Rank = rank;
        WorldSize = worldSize;
    }

    /// <summary>The whole dataset in one process: rank 0 of 1 (the default of <see cref="BatchLoaderOptions.Shard"/>).</summary>
    public static DataShard Whole { get; } = new(0, 1);

    /// <summary>
    /// This process's shard as MPICH's launcher started it (<c>mpiexec.mpich -n N</c> sets
    /// <c>PMI_RANK</c> and <c>PMI_SIZE</c>): rank PMI_RANK of PMI_SIZE, or <see cref="Whole"/> in a
    /// process started without a launcher. The default of <see cref="BatchLoaderOptions.Shard"/>,
    /// so that every rank of a data-parallel run loads its own shard unless told otherwise.
    /// </summary>
    public static DataShard Launcher { get; } = FromLauncher(Environment.GetEnvironmentVariable("PMI_RANK"), Environment.GetEnvironmentVariable("PMI_SIZE"));

    /// <summary>The shard of the launcher's variables (Whole when they are absent or not numbers that make a shard).</summary>
    internal static DataShard FromLauncher(string? rank, string? size) =>
        int.TryParse(rank, System.Globalization.CultureInfo.InvariantCulture, out var r) && int.TryParse(size, System.Globalization.CultureInfo.InvariantCulture, out var n)
            && n >= 1 && r >= 0 && r < n
            ? new DataShard(r, n)
            : Whole;

    /// <summary>This process's rank, 0-based.</summary>
    public int Rank { get; }

    /// <summary>How many processes share each pass; at least 1 (0 only in <c>default(DataShard)</c>, which loaders refuse).</summary>
    public int WorldSize { get; }

    /// <summary>"rank r of n".</summary>
    public override string ToString() => $"rank {Rank} of {WorldSize}";
}
