using System.Runtime.InteropServices;

namespace Pipelines.Distributed;

/// <summary>
/// The few MPI functions data-parallel training calls, bound directly to MPICH's C library
/// (<c>libmpich.so.12</c>, Debian's <c>mpich</c> package). MPICH's handles are plain integers
/// fixed by its ABI (<c>mpi.h</c>), so every call here takes ints and pointers and needs no
/// marshalling (blittable <c>DllImport</c>s, so no generated stubs). Open MPI (pointer handles, another library) is deliberately not supported.
/// </summary>
internal static unsafe class MpiLibrary
{
    /// <summary>The soname of MPICH's C library.</summary>
    public const string Library = "libmpich.so.12";

    public const int Success = 0;
    public const int CommWorld = 0x44000000;
    public const int Int = 0x4c000405;
    public const int Float = 0x4c00040a;
    public const int Double = 0x4c00080b;
    public const int LongLong = 0x4c000809;
    public const int Byte = 0x4c00010d;
    public const int Max = 0x58000001;
    public const int Sum = 0x58000003;
    public const int BitwiseOr = 0x58000008;
    public const int ThreadSerialized = 2;

    /// <summary><c>MPI_IN_PLACE</c>: the send buffer of an in-place all-reduce.</summary>
    public static readonly nint InPlace = -1;

    [DllImport(Library, EntryPoint = "MPI_Initialized")]
    public static extern int Initialized(int* flag);

    [DllImport(Library, EntryPoint = "MPI_Finalized")]
    public static extern int Finalized(int* flag);

    [DllImport(Library, EntryPoint = "MPI_Init_thread")]
    public static extern int InitThread(nint argc, nint argv, int required, int* provided);

    [DllImport(Library, EntryPoint = "MPI_Comm_rank")]
    public static extern int CommRank(int comm, int* rank);

    [DllImport(Library, EntryPoint = "MPI_Comm_size")]
    public static extern int CommSize(int comm, int* size);

    [DllImport(Library, EntryPoint = "MPI_Allreduce")]
    public static extern int Allreduce(nint send, nint receive, int count, int datatype, int op, int comm);

    [DllImport(Library, EntryPoint = "MPI_Bcast")]
    public static extern int Bcast(nint buffer, int count, int datatype, int root, int comm);

    [DllImport(Library, EntryPoint = "MPI_Barrier")]
    public static extern int Barrier(int comm);

    [DllImport(Library, EntryPoint = "MPI_Abort")]
    public static extern int Abort(int comm, int errorCode);

    [DllImport(Library, EntryPoint = "MPI_Finalize")]
    public static extern int Finalize();
}
