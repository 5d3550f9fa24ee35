using Pipelines.Torch.Native;

namespace Pipelines.Torch;

public partial class Tensor
{
    /// <summary>A view with another shape (one dimension may be -1); the data must be compatible.</summary>
    public unsafe Tensor view(params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        fixed (long* s = shape)
            return Call(LibTorch.pt_view(Handle, s, shape.Length, out var r), r);
    }

    /// <summary>The data with another shape, copying only when a view is impossible.</summary>
    public unsafe Tensor reshape(params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        fixed (long* s = shape)
            return Call(LibTorch.pt_reshape(Handle, s, shape.Length, out var r), r);
    }

    /// <summary>A broadcast view with the given shape (-1 keeps a dimension).</summary>
    public unsafe Tensor expand(params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        fixed (long* s = shape)
            return Call(LibTorch.pt_expand(Handle, s, shape.Length, out var r), r);
    }

    /// <summary>A view with the dimensions reordered.</summary>
    public unsafe Tensor permute(params long[] order)
    {
        ArgumentNullException.ThrowIfNull(order);
        fixed (long* s = order)
            return Call(LibTorch.pt_permute(Handle, s, order.Length, out var r), r);
    }

    /// <summary>Flattens dimensions <paramref name="start_dim"/>..<paramref name="end_dim"/> into one.</summary>
    public Tensor flatten(long start_dim = 0, long end_dim = -1) => Call(LibTorch.pt_flatten(Handle, start_dim, end_dim, out var r), r);
    /// <summary>Removes every dimension of size 1.</summary>
    public Tensor squeeze() => Call(LibTorch.pt_squeeze(Handle, out var r), r);
    /// <summary>Removes one dimension if its size is 1.</summary>
    public Tensor squeeze(long dim) => Call(LibTorch.pt_squeeze_dim(Handle, dim, out var r), r);
    /// <summary>Inserts a dimension of size 1.</summary>
    public Tensor unsqueeze(long dim) => Call(LibTorch.pt_unsqueeze(Handle, dim, out var r), r);
    /// <summary>Swaps two dimensions.</summary>
    public Tensor transpose(long dim0, long dim1) => Call(LibTorch.pt_transpose(Handle, dim0, dim1, out var r), r);
    /// <summary>The transpose of a 2-D tensor; a 0-D or 1-D tensor comes back unchanged, as in PyTorch.</summary>
    public Tensor t() => Call(LibTorch.pt_t(Handle, out var r), r);
    /// <summary>A view with every dimension reversed (PyTorch's <c>t.T</c>; the transpose of a matrix).</summary>
    public Tensor T => Call(LibTorch.pt_numpy_t(Handle, out var r), r);
    /// <summary>A view of this tensor with <paramref name="other"/>'s shape.</summary>
    public Tensor view_as(Tensor other) => view(Checked(other).shape);
    /// <summary>This tensor broadcast to <paramref name="other"/>'s shape.</summary>
    public Tensor expand_as(Tensor other) => expand(Checked(other).shape);
    /// <summary>This tensor reshaped to <paramref name="other"/>'s shape.</summary>
    public Tensor reshape_as(Tensor other) => reshape(Checked(other).shape);
    /// <summary>A view of <paramref name="length"/> elements of a dimension from <paramref name="start"/>.</summary>
    public Tensor narrow(long dim, long start, long length) => Call(LibTorch.pt_narrow(Handle, dim, start, length, out var r), r);
    /// <summary>The slice at <paramref name="index"/> of a dimension, which is removed.</summary>
    public Tensor select(long dim, long index) => Call(LibTorch.pt_select(Handle, dim, index, out var r), r);
    /// <summary>A contiguous tensor with the same data (this one when already contiguous).</summary>
    public Tensor contiguous() => Call(LibTorch.pt_contiguous(Handle, out var r), r);
    /// <summary>A copy with its own storage, still attached to the autograd graph.</summary>
    public Tensor clone() => Call(LibTorch.pt_clone(Handle, out var r), r);

    /// <summary>The entries at <paramref name="index"/> (int64) along a dimension.</summary>
    public Tensor index_select(long dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        return Call(LibTorch.pt_index_select(Handle, dim, index.Handle, out var r), r);
    }

    /// <summary>Gathers values along a dimension at the positions given by <paramref name="index"/>.</summary>
    public Tensor gather(long dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        return Call(LibTorch.pt_gather(Handle, dim, index.Handle, out var r), r);
    }

    /// <summary>The one-element slice at <paramref name="index"/> of the first dimension.</summary>
    public Tensor this[long index] => select(0, index);

    /// <summary>Moves (or copies) to another device; <paramref name="non_blocking"/> overlaps pinned host copies.</summary>
    public Tensor to(Device device, bool non_blocking = false, bool copy = false) =>
        Call(LibTorch.pt_to_device(Handle, (int)device.type, device.index, non_blocking, copy, out var r), r);

    /// <summary>Converts to another dtype.</summary>
    public Tensor to(ScalarType dtype, bool non_blocking = false, bool copy = false) =>
        Call(LibTorch.pt_to_dtype(Handle, (int)dtype, non_blocking, copy, out var r), r);

    /// <summary>Moves to the CPU.</summary>
    public Tensor cpu() => to(Device.CPU);

    /// <summary>Moves to a CUDA device.</summary>
    public Tensor cuda(int index = -1) => to(new Device(DeviceType.CUDA, index));

    /// <summary>A copy in page-locked host memory, for fast non-blocking copies to a GPU.</summary>
    public Tensor pin_memory() => Call(LibTorch.pt_pin_memory(Handle, out var r), r);

    /// <summary>Another managed handle to the same native tensor (same storage, same autograd identity).</summary>
    public Tensor alias() => Call(LibTorch.pt_tensor_shallow_copy(Handle, out var r), r);

    /// <summary>Makes this tensor refer to <paramref name="data"/>'s storage, as PyTorch's <c>t.data = data</c>.</summary>
    public void set_data(Tensor data)
    {
        ArgumentNullException.ThrowIfNull(data);
        LibTorch.Check(LibTorch.pt_tensor_set_data(Handle, data.Handle));
    }
}
