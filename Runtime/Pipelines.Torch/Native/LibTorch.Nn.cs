using System.Runtime.InteropServices;

namespace Pipelines.Torch.Native;

// Mirrors Runtime/native/src/nn.cpp. Optional tensors travel as raw pointers (IntPtr.Zero = absent);
// callers keep them alive with GC.KeepAlive until the call returns.
internal static unsafe partial class LibTorch
{
    [LibraryImport(Lib)] internal static partial int pt_linear(TensorHandle input, TensorHandle weight, IntPtr bias, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_conv(TensorHandle input, TensorHandle weight, IntPtr bias, long spatial, long* stride, long* padding, long* dilation, long groups, out IntPtr result);

    [LibraryImport(Lib)] internal static partial int pt_max_pool2d(TensorHandle input, long* kernel, long* stride, long* padding, long* dilation, [MarshalAs(UnmanagedType.U1)] bool ceilMode, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_avg_pool2d(TensorHandle input, long* kernel, long* stride, long* padding, [MarshalAs(UnmanagedType.U1)] bool ceilMode, [MarshalAs(UnmanagedType.U1)] bool countIncludePad, long divisorOverride, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_adaptive_avg_pool2d(TensorHandle input, long* outputSize, out IntPtr result);

    [LibraryImport(Lib)] internal static partial int pt_batch_norm(TensorHandle input, IntPtr weight, IntPtr bias, IntPtr runningMean, IntPtr runningVar, IntPtr numBatchesTracked, [MarshalAs(UnmanagedType.U1)] bool training, double momentum, double eps, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_layer_norm(TensorHandle input, long* normalizedShape, long n, IntPtr weight, IntPtr bias, double eps, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_dropout(TensorHandle input, double p, [MarshalAs(UnmanagedType.U1)] bool training, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_embedding(TensorHandle weight, TensorHandle indices, long paddingIdx, out IntPtr result);

    [LibraryImport(Lib)] internal static partial int pt_gelu(TensorHandle input, [MarshalAs(UnmanagedType.U1)] bool tanhApproximation, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_one_hot(TensorHandle input, long numClasses, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_pad(TensorHandle input, long* pad, long n, int mode, double value, out IntPtr result);

    [LibraryImport(Lib)] internal static partial int pt_lstm(TensorHandle input, IntPtr h0, IntPtr c0, IntPtr* parameters, long count, [MarshalAs(UnmanagedType.U1)] bool hasBiases, long numLayers, double dropout, [MarshalAs(UnmanagedType.U1)] bool train, [MarshalAs(UnmanagedType.U1)] bool bidirectional, [MarshalAs(UnmanagedType.U1)] bool batchFirst, out IntPtr output, out IntPtr hN, out IntPtr cN);
    [LibraryImport(Lib)] internal static partial int pt_gru(TensorHandle input, IntPtr h0, IntPtr* parameters, long count, [MarshalAs(UnmanagedType.U1)] bool hasBiases, long numLayers, double dropout, [MarshalAs(UnmanagedType.U1)] bool train, [MarshalAs(UnmanagedType.U1)] bool bidirectional, [MarshalAs(UnmanagedType.U1)] bool batchFirst, out IntPtr output, out IntPtr hN);

    [LibraryImport(Lib)] internal static partial int pt_cross_entropy(TensorHandle input, TensorHandle target, IntPtr weight, long reduction, long ignoreIndex, double labelSmoothing, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_nll_loss(TensorHandle input, TensorHandle target, IntPtr weight, long reduction, long ignoreIndex, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_pointwise_loss(int kind, TensorHandle input, TensorHandle target, long reduction, double beta, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_binary_cross_entropy(TensorHandle input, TensorHandle target, IntPtr weight, long reduction, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_binary_cross_entropy_with_logits(TensorHandle input, TensorHandle target, IntPtr weight, IntPtr posWeight, long reduction, out IntPtr result);
}

/// <summary>The loss kinds of <c>pt_pointwise_loss</c> (the <c>PointwiseLoss</c> enum in nn.cpp).</summary>
internal enum PointwiseLoss
{
    Mse,
    L1,
    SmoothL1,
}
