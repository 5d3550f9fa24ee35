using System.Runtime.InteropServices;

namespace Pipelines.Distributed;

/// <summary>
/// The four NCCL functions the CUDA side of data-parallel training calls, bound directly to
/// <c>libnccl.so.2</c> (plain C, no shim). No Debian package ships it; CUDA installs of PyTorch carry
/// it in <c>torch/lib</c>. Enum values are NCCL's (<c>nccl.h</c>).
/// </summary>
internal static unsafe class NcclLibrary
{
    /// <summary>The soname of NCCL's library.</summary>
    public const string Library = "libnccl.so.2";

    public const int Success = 0;
    public const int Float32 = 7;
    public const int Float64 = 8;
    public const int Sum = 0;

    /// <summary><c>ncclUniqueId</c>: 128 opaque bytes that rank 0 draws and every rank joins with.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct UniqueId
    {
        public const int Size = 128;

        public fixed byte Bytes[Size];
    }

    [DllImport(Library, EntryPoint = "ncclGetUniqueId")]
    public static extern int GetUniqueId(UniqueId* id);

    [DllImport(Library, EntryPoint = "ncclCommInitRank")]
    public static extern int CommInitRank(nint* comm, int ranks, UniqueId id, int rank);

    [DllImport(Library, EntryPoint = "ncclAllReduce")]
    public static extern int AllReduce(nint send, nint receive, nuint count, int datatype, int op, nint comm, nint stream);

    [DllImport(Library, EntryPoint = "ncclCommDestroy")]
    public static extern int CommDestroy(nint comm);

    [DllImport(Library, EntryPoint = "ncclGetErrorString")]
    public static extern byte* GetErrorString(int result);
}
