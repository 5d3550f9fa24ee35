using Pipelines.Torch.Native;

namespace Pipelines.Torch;

public static partial class torch
{
    unsafe delegate int Factory(long* shape, long ndim, int dtype, int dev, int idx, bool requiresGrad, out IntPtr result);

    static unsafe Tensor Create(Factory factory, long[] shape, ScalarType? dtype, Device? device, bool requires_grad)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var d = device ?? Device.CPU;
        fixed (long* s = shape)
            return Tensor.Call(factory(s, shape.Length, (int)(dtype ?? ScalarType.Float32), (int)d.type, d.index, requires_grad, out var r), r);
    }

    /// <summary>A tensor of zeros.</summary>
    public static unsafe Tensor zeros(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Create(LibTorch.pt_zeros, size, dtype, device, requires_grad);

    /// <summary>A float32 CPU tensor of zeros.</summary>
    public static Tensor zeros(params long[] size) => zeros(size, null);

    /// <summary>A tensor of ones.</summary>
    public static unsafe Tensor ones(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Create(LibTorch.pt_ones, size, dtype, device, requires_grad);

    /// <summary>A float32 CPU tensor of ones.</summary>
    public static Tensor ones(params long[] size) => ones(size, null);

    /// <summary>An uninitialised float32 CPU tensor.</summary>
    public static Tensor empty(params long[] size) => empty(size, null);

    /// <summary>Zeros with <paramref name="other"/>'s shape, and its dtype and device unless given.</summary>
    public static Tensor zeros_like(Tensor other, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        zeros(Like(other).shape, dtype ?? other.dtype, device ?? other.device, requires_grad);

    /// <summary>Ones with <paramref name="other"/>'s shape, and its dtype and device unless given.</summary>
    public static Tensor ones_like(Tensor other, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        ones(Like(other).shape, dtype ?? other.dtype, device ?? other.device, requires_grad);

    /// <summary><paramref name="value"/> everywhere, with <paramref name="other"/>'s shape, and its dtype and device unless given.</summary>
    public static Tensor full_like(Tensor other, Scalar value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        full(Like(other).shape, value, dtype ?? other.dtype, device ?? other.device, requires_grad);

    /// <summary>Uniform samples on [0, 1) with <paramref name="other"/>'s shape, dtype and device.</summary>
    public static Tensor rand_like(Tensor other) => rand(Like(other).shape, other.dtype, other.device);

    /// <summary>Standard normal samples with <paramref name="other"/>'s shape, dtype and device.</summary>
    public static Tensor randn_like(Tensor other) => randn(Like(other).shape, other.dtype, other.device);

    static Tensor Like(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other;
    }

    /// <summary>An uninitialised tensor.</summary>
    public static unsafe Tensor empty(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Create(LibTorch.pt_empty, size, dtype, device, requires_grad);

    /// <summary>Uniform samples on [0, 1).</summary>
    public static unsafe Tensor rand(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Create(LibTorch.pt_rand, size, dtype, device, requires_grad);

    /// <summary>Float32 uniform samples on [0, 1).</summary>
    public static Tensor rand(params long[] size) => rand(size, null);

    /// <summary>Standard normal samples.</summary>
    public static unsafe Tensor randn(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Create(LibTorch.pt_randn, size, dtype, device, requires_grad);

    /// <summary>Float32 standard normal samples.</summary>
    public static Tensor randn(params long[] size) => randn(size, null);

    /// <summary>A tensor filled with <paramref name="value"/> (float32 unless a dtype is given).</summary>
    public static unsafe Tensor full(long[] size, Scalar value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        ArgumentNullException.ThrowIfNull(size);
        var d = device ?? Device.CPU;
        fixed (long* s = size)
            return Tensor.Call(LibTorch.pt_full(s, size.Length, value.Native, (int)(dtype ?? ScalarType.Float32), (int)d.type, d.index, requires_grad, out var r), r);
    }

    /// <summary>Uniform integers on [low, high) (int64 unless a dtype is given).</summary>
    public static unsafe Tensor randint(long low, long high, long[] size, ScalarType? dtype = null, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(size);
        var d = device ?? Device.CPU;
        fixed (long* s = size)
            return Tensor.Call(LibTorch.pt_randint(low, high, s, size.Length, (int)(dtype ?? ScalarType.Int64), (int)d.type, d.index, out var r), r);
    }

    /// <summary>A random permutation of 0..n-1 (int64).</summary>
    public static Tensor randperm(long n, Device? device = null)
    {
        var d = device ?? Device.CPU;
        return Tensor.Call(LibTorch.pt_randperm(n, (int)ScalarType.Int64, (int)d.type, d.index, out var r), r);
    }

    /// <summary>Values from <paramref name="start"/> to <paramref name="end"/> (exclusive) by <paramref name="step"/> (1 when omitted); int64 for integral arguments, as in PyTorch.</summary>
    public static Tensor arange(Scalar start, Scalar end, Scalar? step = null, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var d = device ?? Device.CPU;
        var by = step ?? 1;
        var type = dtype ?? (start.IsIntegral && end.IsIntegral && by.IsIntegral ? ScalarType.Int64 : ScalarType.Float32);
        return Tensor.Call(LibTorch.pt_arange(start.Native, end.Native, by.Native, (int)type, (int)d.type, d.index, requires_grad, out var r), r);
    }

    /// <summary>0, 1, ..., end - 1.</summary>
    public static Tensor arange(Scalar end, ScalarType? dtype = null, Device? device = null) => arange(0, end, 1, dtype, device);

    /// <summary>A CPU tensor copied from a 1-D array, reshaped to <paramref name="shape"/> when given.</summary>
    public static Tensor tensor<T>(T[] data, long[]? shape = null, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        var t = Tensor.FromSpan<T>(data, shape ?? [data.LongLength]);
        return Finish(t, dtype, device, requires_grad);
    }

    /// <summary>A scalar (0-dimensional) tensor, float32 unless a dtype is given (PyTorch's <c>torch.tensor(2.5)</c>).</summary>
    public static Tensor tensor(double value, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requires_grad = false) =>
        full([], value, dtype, device, requires_grad);

    /// <summary>A scalar (0-dimensional) tensor, int64 unless a dtype is given (PyTorch's <c>torch.tensor(2)</c>).</summary>
    public static Tensor tensor(long value, ScalarType dtype = ScalarType.Int64, Device? device = null, bool requires_grad = false) =>
        full([], value, dtype, device, requires_grad);

    /// <summary>A scalar (0-dimensional) bool tensor unless a dtype is given (PyTorch's <c>torch.tensor(True)</c>).</summary>
    public static Tensor tensor(bool value, ScalarType dtype = ScalarType.Bool, Device? device = null) =>
        full([], value, dtype, device);

    /// <summary>A CPU tensor copied from a multi-dimensional array of float, double, Half, long, int, short, sbyte, byte or bool, keeping its shape.</summary>
    public static Tensor from_array(Array data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        var t = data switch
        {
            _ when data.GetType().GetElementType() == typeof(float) => Tensor.FromArray<float>(data),
            _ when data.GetType().GetElementType() == typeof(double) => Tensor.FromArray<double>(data),
            _ when data.GetType().GetElementType() == typeof(long) => Tensor.FromArray<long>(data),
            _ when data.GetType().GetElementType() == typeof(int) => Tensor.FromArray<int>(data),
            _ when data.GetType().GetElementType() == typeof(short) => Tensor.FromArray<short>(data),
            _ when data.GetType().GetElementType() == typeof(sbyte) => Tensor.FromArray<sbyte>(data),
            _ when data.GetType().GetElementType() == typeof(Half) => Tensor.FromArray<Half>(data),
            _ when data.GetType().GetElementType() == typeof(byte) => Tensor.FromArray<byte>(data),
            _ when data.GetType().GetElementType() == typeof(bool) => Tensor.FromArray<bool>(data),
            _ => throw new ArgumentException($"Arrays of {data.GetType().GetElementType()?.Name} cannot become tensors.", nameof(data)),
        };
        return Finish(t, dtype, device, requires_grad);
    }

    static Tensor Finish(Tensor t, ScalarType? dtype, Device? device, bool requires_grad)
    {
        if (dtype is { } type && type != t.dtype)
            t = Replace(t, t.to(type));
        if (device is { type: not DeviceType.CPU } dev)
            t = Replace(t, t.to(dev));
        if (requires_grad)
            t.requires_grad = true;
        return t;
    }

    static Tensor Replace(Tensor old, Tensor replacement)
    {
        old.Dispose();
        return replacement;
    }

    unsafe delegate int ListOp(IntPtr* tensors, long n, long dim, out IntPtr result);

    static unsafe Tensor Combine(ListOp op, IReadOnlyList<Tensor> tensors, long dim)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0)
            throw new ArgumentException("Expected at least one tensor.", nameof(tensors));
        // A heap array, not stackalloc: a list of many tensors must not overflow the stack. Each
        // handle is ref-counted for the call so a concurrent Dispose cannot free it mid-call.
        var owners = new Native.TensorHandle[tensors.Count];
        var handles = new IntPtr[tensors.Count];
        var added = 0;
        try
        {
            for (var i = 0; i < owners.Length; i++)
            {
                var tensor = tensors[i] ?? throw new ArgumentNullException(nameof(tensors), $"Tensor {i} of the list is null.");
                var owner = tensor.Handle;
                var success = false;
                owner.DangerousAddRef(ref success);
                owners[added++] = owner;
                handles[i] = owner.DangerousGetHandle();
            }
            fixed (IntPtr* p = handles)
                return Tensor.Call(op(p, handles.Length, dim, out var r), r);
        }
        finally
        {
            for (var i = 0; i < added; i++)
                owners[i].DangerousRelease();
        }
    }

    /// <summary>Concatenates tensors along an existing dimension.</summary>
    public static unsafe Tensor cat(IReadOnlyList<Tensor> tensors, long dim = 0) => Combine(LibTorch.pt_cat, tensors, dim);

    /// <summary>Stacks tensors along a new dimension.</summary>
    public static unsafe Tensor stack(IReadOnlyList<Tensor> tensors, long dim = 0) => Combine(LibTorch.pt_stack, tensors, dim);

    /// <summary>Elements of <paramref name="x"/> where <paramref name="condition"/> holds, of <paramref name="y"/> elsewhere.</summary>
    public static Tensor where(Tensor condition, Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return Tensor.Call(LibTorch.pt_where(condition.Handle, x.Handle, y.Handle, out var r), r);
    }
}
