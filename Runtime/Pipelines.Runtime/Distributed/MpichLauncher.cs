using System.Globalization;

namespace Pipelines.Distributed;

/// <summary>What MPICH's launcher (<c>mpiexec.mpich</c>) tells the processes it starts, through their environment.</summary>
internal static class MpichLauncher
{
    /// <summary>This process's rank and the world size (<c>PMI_RANK</c>, <c>PMI_SIZE</c>) when the launcher started several processes; null otherwise.</summary>
    public static (int Rank, int Size)? Launched() =>
        int.TryParse(Environment.GetEnvironmentVariable("PMI_RANK"), NumberStyles.None, CultureInfo.InvariantCulture, out var rank)
        && int.TryParse(Environment.GetEnvironmentVariable("PMI_SIZE"), NumberStyles.None, CultureInfo.InvariantCulture, out var size)
        && size > 1 && rank < size
            ? (rank, size)
            : null;
}
