using System.Runtime.InteropServices;

namespace Pipelines.Torch.Native;

// Mirrors Runtime/native/src/optim.cpp. State arrays are in/out: a null slot is filled with a
// new caller-owned handle when the step creates that parameter's state.
internal static unsafe partial class LibTorch
{
    [LibraryImport(Lib)]
    internal static partial int pt_sgd_step(IntPtr* parameters, IntPtr* momentumBuffers, long n, double lr, double momentum,
        double dampening, double weightDecay, [MarshalAs(UnmanagedType.U1)] bool nesterov, [MarshalAs(UnmanagedType.U1)] bool maximize);

    [LibraryImport(Lib)]
    internal static partial int pt_adam_step(IntPtr* parameters, IntPtr* expAvgs, IntPtr* expAvgSqs, IntPtr* maxExpAvgSqs,
        double* steps, long n, double lr, double beta1, double beta2, double eps, double weightDecay,
        [MarshalAs(UnmanagedType.U1)] bool amsgrad, [MarshalAs(UnmanagedType.U1)] bool maximize, [MarshalAs(UnmanagedType.U1)] bool decoupled);

    [LibraryImport(Lib)]
    internal static partial int pt_rmsprop_step(IntPtr* parameters, IntPtr* squareAvgs, IntPtr* momentumBuffers, IntPtr* gradAvgs,
        double* steps, long n, double lr, double alpha, double eps, double weightDecay, double momentum,
        [MarshalAs(UnmanagedType.U1)] bool centered, [MarshalAs(UnmanagedType.U1)] bool maximize);

    [LibraryImport(Lib)]
    internal static partial int pt_adagrad_step(IntPtr* parameters, IntPtr* sums, double* steps, long n, double lr, double lrDecay,
        double weightDecay, double initialAccumulatorValue, double eps, [MarshalAs(UnmanagedType.U1)] bool maximize);

    [LibraryImport(Lib)]
    internal static partial int pt_zero_grad(IntPtr* parameters, long n, [MarshalAs(UnmanagedType.U1)] bool setToNone);

    [LibraryImport(Lib)]
    internal static partial int pt_clip_grad_norm_(IntPtr* parameters, long n, double maxNorm, double normType,
        [MarshalAs(UnmanagedType.U1)] bool errorIfNonfinite, out IntPtr totalNorm);

    [LibraryImport(Lib)]
    internal static partial int pt_clip_grad_value_(IntPtr* parameters, long n, double clipValue);
}
