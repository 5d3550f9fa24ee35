using System.Runtime.InteropServices;

namespace Pipelines.Torch.Native;

// Mirrors Runtime/native/src/generator.cpp.
internal static partial class LibTorch
{
    [LibraryImport(Lib)] internal static partial int pt_rng_get_state(int deviceType, int deviceIndex, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_rng_set_state(int deviceType, int deviceIndex, TensorHandle state);
}
