using System.Runtime.InteropServices;

namespace Pipelines.Torch.Native;

// Mirrors Runtime/native/src/autograd.cpp and cuda.cpp.
internal static partial class LibTorch
{
    [LibraryImport(Lib)] internal static partial int pt_requires_grad(TensorHandle t, [MarshalAs(UnmanagedType.U1)] out bool result);
    [LibraryImport(Lib)] internal static partial int pt_set_requires_grad(TensorHandle t, [MarshalAs(UnmanagedType.U1)] bool value);
    [LibraryImport(Lib)] internal static partial int pt_is_leaf(TensorHandle t, [MarshalAs(UnmanagedType.U1)] out bool result);
    [LibraryImport(Lib)] internal static partial int pt_grad(TensorHandle t, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_set_grad(TensorHandle t, IntPtr grad);
    [LibraryImport(Lib)] internal static partial int pt_backward(TensorHandle t, IntPtr gradient, [MarshalAs(UnmanagedType.U1)] bool retainGraph, [MarshalAs(UnmanagedType.U1)] bool createGraph);
    [LibraryImport(Lib)] internal static partial int pt_detach(TensorHandle t, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_detach_(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int pt_grad_enabled([MarshalAs(UnmanagedType.U1)] out bool result);
    [LibraryImport(Lib)] internal static partial int pt_set_grad_enabled([MarshalAs(UnmanagedType.U1)] bool enabled, [MarshalAs(UnmanagedType.U1)] out bool previous);
    [LibraryImport(Lib)] internal static partial int pt_inference_mode_enter([MarshalAs(UnmanagedType.U1)] bool enabled, out IntPtr guard);
    [LibraryImport(Lib)] internal static partial void pt_inference_mode_exit(IntPtr guard);
    [LibraryImport(Lib)] internal static partial int pt_is_inference_mode_enabled([MarshalAs(UnmanagedType.U1)] out bool result);

    [LibraryImport(Lib)] internal static partial int pt_cuda_is_available([MarshalAs(UnmanagedType.U1)] out bool result);
    [LibraryImport(Lib)] internal static partial int pt_cuda_device_count(out int count);
    [LibraryImport(Lib)] internal static partial int pt_cuda_synchronize(int device);
}
