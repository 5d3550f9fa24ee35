using System.Runtime.InteropServices;

namespace Pipelines.Torch.Native;

// Mirrors Runtime/native/src/serialization.cpp.
internal static unsafe partial class LibTorch
{
    [LibraryImport(Lib)]
    internal static partial int pt_tensor_host_bytes(TensorHandle t, out IntPtr host, out void* data, out long nbytes);

    [LibraryImport(Lib)]
    internal static partial int pt_empty_host_bytes(long* shape, long ndim, int dtype, out IntPtr tensor, out void* data, out long nbytes);
}
