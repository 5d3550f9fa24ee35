using Pipelines.Torch.Native;

namespace Pipelines.Torch;

/// <summary>
/// A libtorch tensor. Dispose it, or create it inside a <see cref="DisposeScope"/>, to free its
/// native memory at once; a finalizer frees what nobody disposed. Methods keep PyTorch's names.
/// </summary>
public partial class Tensor : IDisposable
{
    TensorHandle? handle;

    internal Tensor(IntPtr native) : this(native, joinScope: true) { }

    /// <summary>Takes ownership of a native tensor; <paramref name="joinScope"/> puts it in the innermost dispose scope.</summary>
    private protected Tensor(IntPtr native, bool joinScope)
    {
        handle = new TensorHandle(native);
        if (joinScope)
            DisposeScope.Current?.Add(this);
    }

    /// <summary>The dispose-scope frame that owns this tensor, if any.</summary>
    internal DisposeScope.Frame? Scope { get; set; }

    /// <summary>The native handle; throws <see cref="ObjectDisposedException"/> once disposed.</summary>
    internal TensorHandle Handle => handle ?? throw new ObjectDisposedException(nameof(Tensor), "This tensor has been disposed.");

    /// <summary>Whether <see cref="Dispose()"/> has run.</summary>
    public bool IsInvalid => handle is null;

    /// <summary>Frees the native tensor now (its storage goes when no view shares it).</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the native handle.</summary>
    protected virtual void Dispose(bool disposing)
    {
        var h = handle;
        handle = null;
        Scope = null;
        h?.Dispose();
    }

    /// <summary>Wraps a fresh native result; a null result here is a shim bug, not user error.</summary>
    internal static Tensor Wrap(IntPtr native) =>
        native != IntPtr.Zero ? new Tensor(native) : throw new InvalidOperationException("libtorch returned an undefined tensor.");

    /// <summary>Wraps a native result that may legitimately be undefined (a missing gradient).</summary>
    internal static Tensor? WrapOptional(IntPtr native) => native != IntPtr.Zero ? new Tensor(native) : null;

    /// <summary>The raw pointer of an optional tensor, for shim calls that accept null.</summary>
    internal static IntPtr RawOrNull(Tensor? tensor) => tensor is null ? IntPtr.Zero : tensor.Handle.DangerousGetHandle();

    /// <summary>Runs a shim call whose result is a new tensor.</summary>
    internal static Tensor Call(int status, IntPtr result)
    {
        LibTorch.Check(status);
        return Wrap(result);
    }

    /// <summary>The number of dimensions.</summary>
    public long ndim
    {
        get
        {
            LibTorch.Check(LibTorch.pt_tensor_ndim(Handle, out var n));
            return n;
        }
    }

    /// <summary>The number of dimensions (PyTorch's <c>dim()</c>).</summary>
    public long dim() => ndim;

    /// <summary>The size of every dimension.</summary>
    public unsafe long[] shape
    {
        get
        {
            var result = new long[ndim];
            fixed (long* p = result)
                LibTorch.Check(LibTorch.pt_tensor_shape(Handle, p, result.Length));
            return result;
        }
    }

    /// <summary>The size of every dimension (PyTorch's <c>t.size()</c>).</summary>
    public long[] size() => shape;

    /// <summary>The size of one dimension; negative dimensions count from the end.</summary>
    public long size(int dim)
    {
        var s = shape;
        var d = dim < 0 ? dim + s.Length : dim;
        if (d < 0 || d >= s.Length)
            throw new ArgumentOutOfRangeException(nameof(dim), $"Dimension {dim} is out of range for a tensor of shape [{string.Join(", ", s)}].");
        return s[d];
    }

    /// <summary>The number of elements.</summary>
    public long numel()
    {
        LibTorch.Check(LibTorch.pt_tensor_numel(Handle, out var n));
        return n;
    }

    /// <summary>The element type.</summary>
    public ScalarType dtype
    {
        get
        {
            LibTorch.Check(LibTorch.pt_tensor_dtype(Handle, out var d));
            return (ScalarType)d;
        }
    }

    /// <summary>The size of one element in bytes (PyTorch's <c>element_size()</c>).</summary>
    public long element_size() => ElementTypes.SizeOf(dtype);

    /// <summary>The device the tensor lives on.</summary>
    public Device device
    {
        get
        {
            LibTorch.Check(LibTorch.pt_tensor_device(Handle, out var type, out var index));
            return new Device((DeviceType)type, index);
        }
    }

    /// <summary>Whether the elements are laid out contiguously in row-major order.</summary>
    public bool is_contiguous()
    {
        LibTorch.Check(LibTorch.pt_tensor_is_contiguous(Handle, out var result));
        return result;
    }

    /// <summary>Whether the tensor lives in page-locked host memory.</summary>
    public bool is_pinned()
    {
        LibTorch.Check(LibTorch.pt_tensor_is_pinned(Handle, out var result));
        return result;
    }

    /// <summary>Shape, dtype and device, e.g. <c>[32, 10] Float32 cpu</c>; never reads the data.</summary>
    public override string ToString() =>
        handle is null ? "Tensor (disposed)" : $"[{string.Join(", ", shape)}] {dtype} {device}";
}
