using System.Runtime.InteropServices;

namespace Pipelines.Torch.Native;

/// <summary>A scalar as the shim receives it (<c>pt_scalar</c> in tensor.cpp).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct NativeScalar
{
    internal readonly int Kind;
    internal readonly double Double;
    internal readonly long Long;

    internal NativeScalar(int kind, double d, long l) => (Kind, Double, Long) = (kind, d, l);
}

// Mirrors Runtime/native/src/tensor.cpp.
internal static unsafe partial class LibTorch
{
    [LibraryImport(Lib)] internal static partial void pt_tensor_free(IntPtr t);
    [LibraryImport(Lib)] internal static partial int pt_tensor_shallow_copy(TensorHandle t, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_tensor_set_data(TensorHandle t, TensorHandle data);

    [LibraryImport(Lib)] internal static partial int pt_zeros(long* shape, long ndim, int dtype, int dev, int idx, [MarshalAs(UnmanagedType.U1)] bool requiresGrad, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_ones(long* shape, long ndim, int dtype, int dev, int idx, [MarshalAs(UnmanagedType.U1)] bool requiresGrad, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_empty(long* shape, long ndim, int dtype, int dev, int idx, [MarshalAs(UnmanagedType.U1)] bool requiresGrad, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_full(long* shape, long ndim, NativeScalar value, int dtype, int dev, int idx, [MarshalAs(UnmanagedType.U1)] bool requiresGrad, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_arange(NativeScalar start, NativeScalar end, NativeScalar step, int dtype, int dev, int idx, [MarshalAs(UnmanagedType.U1)] bool requiresGrad, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_rand(long* shape, long ndim, int dtype, int dev, int idx, [MarshalAs(UnmanagedType.U1)] bool requiresGrad, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_randn(long* shape, long ndim, int dtype, int dev, int idx, [MarshalAs(UnmanagedType.U1)] bool requiresGrad, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_randint(long low, long high, long* shape, long ndim, int dtype, int dev, int idx, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_randperm(long n, int dtype, int dev, int idx, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_from_data(void* data, long nbytes, long* shape, long ndim, int dtype, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_manual_seed(long seed);

    [LibraryImport(Lib)] internal static partial int pt_tensor_ndim(TensorHandle t, out long ndim);
    [LibraryImport(Lib)] internal static partial int pt_tensor_shape(TensorHandle t, long* shape, long capacity);
    [LibraryImport(Lib)] internal static partial int pt_tensor_numel(TensorHandle t, out long numel);
    [LibraryImport(Lib)] internal static partial int pt_tensor_dtype(TensorHandle t, out int dtype);
    [LibraryImport(Lib)] internal static partial int pt_tensor_device(TensorHandle t, out int type, out int index);
    [LibraryImport(Lib)] internal static partial int pt_tensor_is_contiguous(TensorHandle t, [MarshalAs(UnmanagedType.U1)] out bool result);
    [LibraryImport(Lib)] internal static partial int pt_tensor_is_pinned(TensorHandle t, [MarshalAs(UnmanagedType.U1)] out bool result);

    [LibraryImport(Lib)] internal static partial int pt_tensor_copy_to(TensorHandle t, void* buffer, long nbytes);
    [LibraryImport(Lib)] internal static partial int pt_tensor_item(TensorHandle t, out double value);
    [LibraryImport(Lib)] internal static partial int pt_tensor_item_long(TensorHandle t, out long value);
    [LibraryImport(Lib)] internal static partial int pt_to_device(TensorHandle t, int dev, int idx, [MarshalAs(UnmanagedType.U1)] bool nonBlocking, [MarshalAs(UnmanagedType.U1)] bool copy, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_to_dtype(TensorHandle t, int dtype, [MarshalAs(UnmanagedType.U1)] bool nonBlocking, [MarshalAs(UnmanagedType.U1)] bool copy, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_pin_memory(TensorHandle t, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_copy_(TensorHandle t, TensorHandle src, [MarshalAs(UnmanagedType.U1)] bool nonBlocking);

    [LibraryImport(Lib)] internal static partial int pt_view(TensorHandle t, long* shape, long n, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_reshape(TensorHandle t, long* shape, long n, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_expand(TensorHandle t, long* shape, long n, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_permute(TensorHandle t, long* order, long n, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_flatten(TensorHandle t, long start, long end, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_squeeze(TensorHandle t, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_squeeze_dim(TensorHandle t, long dim, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_unsqueeze(TensorHandle t, long dim, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_transpose(TensorHandle t, long a, long b, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_t(TensorHandle t, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_numpy_t(TensorHandle t, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_narrow(TensorHandle t, long dim, long start, long length, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_select(TensorHandle t, long dim, long index, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_index_select(TensorHandle t, long dim, TensorHandle index, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_gather(TensorHandle t, long dim, TensorHandle index, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_masked_fill(TensorHandle t, TensorHandle mask, NativeScalar value, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_masked_select(TensorHandle t, TensorHandle mask, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_contiguous(TensorHandle t, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_clone(TensorHandle t, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_cat(IntPtr* tensors, long n, long dim, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_stack(IntPtr* tensors, long n, long dim, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_where(TensorHandle condition, TensorHandle a, TensorHandle b, out IntPtr result);

    [LibraryImport(Lib)] internal static partial int pt_binary(int op, TensorHandle a, TensorHandle b, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_binary_scalar(int op, TensorHandle a, NativeScalar b, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_rsub_scalar(TensorHandle a, NativeScalar b, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_rdiv_scalar(TensorHandle a, NativeScalar b, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_add_scaled(TensorHandle a, TensorHandle b, NativeScalar alpha, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_binary_(int op, TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial int pt_binary_scalar_(int op, TensorHandle a, NativeScalar b);
    [LibraryImport(Lib)] internal static partial int pt_add_scaled_(TensorHandle a, TensorHandle b, NativeScalar alpha);
    [LibraryImport(Lib)] internal static partial int pt_fill_(TensorHandle a, NativeScalar value);
    [LibraryImport(Lib)] internal static partial int pt_zero_(TensorHandle a);
    [LibraryImport(Lib)] internal static partial int pt_normal_(TensorHandle a, double mean, double std);
    [LibraryImport(Lib)] internal static partial int pt_uniform_(TensorHandle a, double from, double to);
    [LibraryImport(Lib)] internal static partial int pt_unary(int op, TensorHandle t, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_relu_(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int pt_clamp(TensorHandle t, [MarshalAs(UnmanagedType.U1)] bool hasMin, NativeScalar min, [MarshalAs(UnmanagedType.U1)] bool hasMax, NativeScalar max, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_softmax(TensorHandle t, long dim, int dtype, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_log_softmax(TensorHandle t, long dim, int dtype, out IntPtr result);

    [LibraryImport(Lib)] internal static partial int pt_reduce(int op, TensorHandle t, long* dims, long ndim, [MarshalAs(UnmanagedType.U1)] bool keepdim, int dtype, long correction, double p, out IntPtr result);
    [LibraryImport(Lib)] internal static partial int pt_max_dim(TensorHandle t, long dim, [MarshalAs(UnmanagedType.U1)] bool keepdim, [MarshalAs(UnmanagedType.U1)] bool isMin, out IntPtr values, out IntPtr indices);
    [LibraryImport(Lib)] internal static partial int pt_topk(TensorHandle t, long k, long dim, [MarshalAs(UnmanagedType.U1)] bool largest, [MarshalAs(UnmanagedType.U1)] bool sorted, out IntPtr values, out IntPtr indices);
    [LibraryImport(Lib)] internal static partial int pt_allclose(TensorHandle a, TensorHandle b, double rtol, double atol, [MarshalAs(UnmanagedType.U1)] out bool result);
    [LibraryImport(Lib)] internal static partial int pt_equal(TensorHandle a, TensorHandle b, [MarshalAs(UnmanagedType.U1)] out bool result);
}

/// <summary>Op codes of <c>pt_binary</c> (BinaryOp in tensor.cpp).</summary>
internal enum BinaryOp { Add, Sub, Mul, Div, Pow, Maximum, Minimum, Eq, Ne, Lt, Le, Gt, Ge, Matmul, Remainder, Atan2, LogicalAnd, LogicalOr, BitwiseAnd, BitwiseOr, BitwiseXor }

/// <summary>Op codes of <c>pt_unary</c> (UnaryOp in tensor.cpp).</summary>
internal enum UnaryOp { Neg, Exp, Log, Sqrt, Rsqrt, Abs, Sigmoid, Tanh, Relu, Sin, Cos, Floor, Ceil, Round, Sign, Reciprocal, Log1p, Expm1, LogicalNot, IsNan, IsInf, Square, Gelu, Silu, IsFinite, BitwiseNot }

/// <summary>Op codes of <c>pt_reduce</c> (ReduceOp in tensor.cpp).</summary>
internal enum ReduceOp { Sum, Mean, Prod, Amax, Amin, Std, Var, Norm, Any, All, Argmax, Argmin, LogSumExp }
