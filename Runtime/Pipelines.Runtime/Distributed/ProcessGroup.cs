using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Distributed;

/// <summary>
/// The processes of a data-parallel run as the MPI launcher started them
/// (<c>mpiexec.mpich -n N program</c>): this process's <see cref="Rank"/> among
/// <see cref="WorldSize"/>, and the collectives the engine needs, on CPU tensors in place.
/// <see cref="World"/> joins MPI once per process (MPICH's <c>libmpich.so.12</c>, bound directly);
/// MPI is finalized when the process exits.
/// </summary>
public sealed unsafe class ProcessGroup
{
    static readonly Lock gate = new();
    static ProcessGroup? world;

    ProcessGroup(int rank, int worldSize)
    {
        Rank = rank;
        WorldSize = worldSize;
    }

    /// <summary>This process's rank, 0-based (0 speaks: it logs and writes checkpoints).</summary>
    public int Rank { get; }

    /// <summary>The number of processes the launcher started (1 for a program started without one).</summary>
    public int WorldSize { get; }

    /// <summary>
    /// The MPI world of this process, joined on first use. A program started without a launcher (or
    /// by it as one process) is a world of one, which needs no MPI: its collectives do nothing, and
    /// MPICH's library is not loaded.
    /// </summary>
    /// <exception cref="InvalidOperationException">When MPICH's library is missing, or another MPI's launcher (Open MPI's <c>mpirun</c>) started the process.</exception>
    public static ProcessGroup World
    {
        get
        {
            if (Volatile.Read(ref world) is { } joined)
                return joined;
            lock (gate)
                return world ??= Join();
        }
    }

    /// <summary>
    /// The world metrics reduce over at <c>Compute</c>: this process's MPI world once it has joined
    /// one of several ranks (a data-parallel <c>Fit</c> joins it), else null.
    /// </summary>
    internal static ProcessGroup? MetricWorld => Volatile.Read(ref world) is { WorldSize: > 1 } joined ? joined : null;

    /// <summary>The sums of <paramref name="values"/> over every rank (a host array, reduced in place).</summary>
    internal void SumOverRanks(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (WorldSize > 1)
            fixed (double* data = values)
                Check(MpiLibrary.Allreduce(MpiLibrary.InPlace, (nint)data, values.Length, MpiLibrary.Double, MpiLibrary.Sum, MpiLibrary.CommWorld), "MPI_Allreduce");
    }

    static ProcessGroup Join()
    {
        if (Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is not null && Environment.GetEnvironmentVariable("PMI_SIZE") is null)
            throw new InvalidOperationException(
                "This process was started by Open MPI's mpirun; Pipelines runs on MPICH: launch it with mpiexec.mpich -n N (Debian package mpich).");
        if (MpichLauncher.Launched() is null)
            return new ProcessGroup(0, 1);
        try
        {
            int initialized, provided;
            Check(MpiLibrary.Initialized(&initialized), "MPI_Initialized");
            if (initialized == 0)
            {
                Check(MpiLibrary.InitThread(0, 0, MpiLibrary.ThreadSerialized, &provided), "MPI_Init_thread");
                AppDomain.CurrentDomain.ProcessExit += (_, _) => FinalizeAtExit();
            }
        }
        catch (DllNotFoundException e)
        {
            throw new InvalidOperationException(
                $"Data-parallel training needs MPICH's library {MpiLibrary.Library}, which could not be loaded: install Debian's mpich package (apt-get install mpich) and launch with mpiexec.mpich -n N.", e);
        }
        int rank, size;
        Check(MpiLibrary.CommRank(MpiLibrary.CommWorld, &rank), "MPI_Comm_rank");
        Check(MpiLibrary.CommSize(MpiLibrary.CommWorld, &size), "MPI_Comm_size");
        return new ProcessGroup(rank, size);
    }

    static void FinalizeAtExit()
    {
        int finalized;
        if (MpiLibrary.Finalized(&finalized) == MpiLibrary.Success && finalized == 0)
            MpiLibrary.Finalize();
    }

    static void Check(int code, string function)
    {
        if (code != MpiLibrary.Success)
            throw new InvalidOperationException($"{function} failed with MPI error {code}.");
    }

    /// <summary>
    /// Sums <paramref name="tensor"/> over every rank, in place; every rank must call it with a tensor
    /// of the same shape and dtype. CPU tensors, contiguous, of float32, float64 or int64.
    /// </summary>
    public void AllReduceSum(Tensor tensor)
    {
        var (count, datatype) = Describe(tensor);
        if (WorldSize > 1)
            Check(MpiLibrary.Allreduce(MpiLibrary.InPlace, TensorMemory.Address(tensor), count, datatype, MpiLibrary.Sum, MpiLibrary.CommWorld), "MPI_Allreduce");
    }

    /// <summary>Copies rank <paramref name="root"/>'s <paramref name="tensor"/> into every other rank's, in place (the same requirements as <see cref="AllReduceSum"/>).</summary>
    public void Broadcast(Tensor tensor, int root = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(root);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(root, WorldSize);
        var (count, datatype) = Describe(tensor);
        if (WorldSize > 1)
            Check(MpiLibrary.Bcast(TensorMemory.Address(tensor), count, datatype, root, MpiLibrary.CommWorld), "MPI_Bcast");
    }

    /// <summary>The bitwise or of <paramref name="flags"/> over every rank: decisions every rank then takes together.</summary>
    internal int AnyOf(int flags)
    {
        if (WorldSize > 1)
            Check(MpiLibrary.Allreduce(MpiLibrary.InPlace, (nint)(&flags), 1, MpiLibrary.Int, MpiLibrary.BitwiseOr, MpiLibrary.CommWorld), "MPI_Allreduce");
        return flags;
    }

    /// <summary>Copies rank 0's <paramref name="bytes"/> into every other rank's (an NCCL unique id).</summary>
    internal void BroadcastBytes(Span<byte> bytes)
    {
        if (WorldSize > 1)
            fixed (byte* data = bytes)
                Check(MpiLibrary.Bcast((nint)data, bytes.Length, MpiLibrary.Byte, 0, MpiLibrary.CommWorld), "MPI_Bcast");
    }

    /// <summary>Waits until every rank has reached this call (after rank 0 wrote a file the others may read).</summary>
    internal void Barrier()
    {
        if (WorldSize > 1)
            Check(MpiLibrary.Barrier(MpiLibrary.CommWorld), "MPI_Barrier");
    }

    /// <summary>
    /// Ends every rank of the job: writes <paramref name="message"/> (one line, naming this rank) to
    /// the standard error and calls <c>MPI_Abort</c>, which the launcher turns into the end of every process.
    /// </summary>
    internal void Abort(string message)
    {
        Console.Error.WriteLine($"Pipelines: rank {Rank} of {WorldSize}: {message}");
        Console.Error.Flush();
        // The launcher's proxy forwards output from a pipe, and on an abort it ends every process at
        // once: a line still in the pipe was lost in about one abort in ten while other tests ran beside it.
        Thread.Sleep(AbortGrace);
        MpiLibrary.Abort(MpiLibrary.CommWorld, 1);
    }

    // How long an aborting rank leaves the launcher to forward its last line.
    static readonly TimeSpan AbortGrace = TimeSpan.FromMilliseconds(250);

    static (int Count, int Datatype) Describe(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.device_type != DeviceType.CPU)
            throw new ArgumentException($"MPI collectives take CPU tensors, not {tensor.device_type} ones (CUDA tensors reduce over NCCL).", nameof(tensor));
        if (!tensor.is_contiguous())
            throw new ArgumentException("MPI collectives take contiguous tensors.", nameof(tensor));
        var datatype = tensor.dtype switch
        {
            ScalarType.Float32 => MpiLibrary.Float,
            ScalarType.Float64 => MpiLibrary.Double,
            ScalarType.Int64 => MpiLibrary.LongLong,
            _ => throw new ArgumentException($"MPI collectives here take float32, float64 or int64 tensors, not {tensor.dtype}.", nameof(tensor)),
        };
        var count = tensor.numel();
        if (count > int.MaxValue)
            throw new ArgumentException($"A tensor of {count} elements is over MPI's int count.", nameof(tensor));
        return ((int)count, datatype);
    }
}
