using Pipelines.Torch.Native;

namespace Pipelines.Torch;

public partial class Tensor
{
    unsafe Tensor Reduce(ReduceOp op, ReadOnlySpan<long> dims, bool all, bool keepdim, ScalarType? dtype = null, long correction = 1, double p = 2)
    {
        fixed (long* d = dims)
            return Call(LibTorch.pt_reduce((int)op, Handle, d, all ? -1 : dims.Length, keepdim, dtype.HasValue ? (int)dtype.Value : -1, correction, p, out var r), r);
    }

    /// <summary>Sum of all elements.</summary>
    public Tensor sum(ScalarType? dtype = null) => Reduce(ReduceOp.Sum, default, true, false, dtype);
    /// <summary>Sum over one dimension.</summary>
    public Tensor sum(long dim, bool keepdim = false, ScalarType? dtype = null) => Reduce(ReduceOp.Sum, [dim], false, keepdim, dtype);
    /// <summary>Sum over one dimension.</summary>
    /// <remarks>
    /// The <c>int</c> overloads exist for the literal <c>0</c>: C# converts it to any enum, so
    /// without an exact match <c>t.sum(0)</c> would bind to <c>sum(ScalarType? dtype)</c> and
    /// sum everything as uint8 instead of reducing dimension 0.
    /// </remarks>
    public Tensor sum(int dim, bool keepdim = false, ScalarType? dtype = null) => sum((long)dim, keepdim, dtype);
    /// <summary>Sum over several dimensions.</summary>
    public Tensor sum(long[] dims, bool keepdim = false, ScalarType? dtype = null) => Reduce(ReduceOp.Sum, Dims(dims), false, keepdim, dtype);
    /// <summary>Mean of all elements.</summary>
    public Tensor mean(ScalarType? dtype = null) => Reduce(ReduceOp.Mean, default, true, false, dtype);
    /// <summary>Mean over one dimension.</summary>
    public Tensor mean(long dim, bool keepdim = false, ScalarType? dtype = null) => Reduce(ReduceOp.Mean, [dim], false, keepdim, dtype);
    /// <summary>Mean over one dimension (see <see cref="sum(int, bool, ScalarType?)"/> for why an int overload).</summary>
    public Tensor mean(int dim, bool keepdim = false, ScalarType? dtype = null) => mean((long)dim, keepdim, dtype);
    /// <summary>Mean over several dimensions.</summary>
    public Tensor mean(long[] dims, bool keepdim = false, ScalarType? dtype = null) => Reduce(ReduceOp.Mean, Dims(dims), false, keepdim, dtype);
    /// <summary>Product of all elements.</summary>
    public Tensor prod() => Reduce(ReduceOp.Prod, default, true, false);
    /// <summary>Product over one dimension.</summary>
    public Tensor prod(long dim, bool keepdim = false) => Reduce(ReduceOp.Prod, [dim], false, keepdim);
    /// <summary>Largest element.</summary>
    public Tensor max() => Reduce(ReduceOp.Amax, default, false, false);
    /// <summary>Smallest element.</summary>
    public Tensor min() => Reduce(ReduceOp.Amin, default, false, false);
    /// <summary>Largest values over dimensions, without indices (PyTorch's amax).</summary>
    public Tensor amax(long[] dims, bool keepdim = false) => Reduce(ReduceOp.Amax, Dims(dims), false, keepdim);
    /// <summary>Smallest values over dimensions, without indices (PyTorch's amin).</summary>
    public Tensor amin(long[] dims, bool keepdim = false) => Reduce(ReduceOp.Amin, Dims(dims), false, keepdim);

    static long[] Dims(long[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        return dims;
    }
    /// <summary>Standard deviation of all elements (<paramref name="unbiased"/>: Bessel's correction).</summary>
    public Tensor std(bool unbiased = true) => Reduce(ReduceOp.Std, default, true, false, correction: unbiased ? 1 : 0);
    /// <summary>Standard deviation over one dimension.</summary>
    public Tensor std(long dim, bool unbiased = true, bool keepdim = false) => Reduce(ReduceOp.Std, [dim], false, keepdim, correction: unbiased ? 1 : 0);
    /// <summary>Standard deviation over several dimensions.</summary>
    public Tensor std(long[] dims, bool unbiased = true, bool keepdim = false) => Reduce(ReduceOp.Std, Dims(dims), false, keepdim, correction: unbiased ? 1 : 0);
    /// <summary>Variance of all elements.</summary>
    public Tensor var(bool unbiased = true) => Reduce(ReduceOp.Var, default, true, false, correction: unbiased ? 1 : 0);
    /// <summary>Variance over one dimension.</summary>
    public Tensor var(long dim, bool unbiased = true, bool keepdim = false) => Reduce(ReduceOp.Var, [dim], false, keepdim, correction: unbiased ? 1 : 0);
    /// <summary>Variance over several dimensions.</summary>
    public Tensor var(long[] dims, bool unbiased = true, bool keepdim = false) => Reduce(ReduceOp.Var, Dims(dims), false, keepdim, correction: unbiased ? 1 : 0);
    /// <summary>p-norm of all elements.</summary>
    public Tensor norm(double p = 2) => Reduce(ReduceOp.Norm, default, true, false, p: p);
    /// <summary>p-norm over one dimension; p comes first, as in PyTorch's <c>x.norm(p, dim)</c>, so <c>x.norm(1)</c> is the L1 norm.</summary>
    public Tensor norm(double p, long dim, bool keepdim = false) => Reduce(ReduceOp.Norm, [dim], false, keepdim, p: p);
    /// <summary>log(sum(exp(x))) over one dimension, numerically stable.</summary>
    public Tensor logsumexp(long dim, bool keepdim = false) => Reduce(ReduceOp.LogSumExp, [dim], false, keepdim);
    /// <summary>log(sum(exp(x))) over several dimensions.</summary>
    public Tensor logsumexp(long[] dims, bool keepdim = false) => Reduce(ReduceOp.LogSumExp, Dims(dims), false, keepdim);
    /// <summary>log(sum(exp(x))) over all elements.</summary>
    public Tensor logsumexp() => Reduce(ReduceOp.LogSumExp, default, true, false);
    /// <summary>Whether any element is true.</summary>
    public Tensor any() => Reduce(ReduceOp.Any, default, true, false);
    /// <summary>Whether every element is true.</summary>
    public Tensor all() => Reduce(ReduceOp.All, default, true, false);
    /// <summary>Index of the largest element of the flattened tensor.</summary>
    public Tensor argmax() => Reduce(ReduceOp.Argmax, default, true, false);
    /// <summary>Indices of the largest elements along a dimension.</summary>
    public Tensor argmax(long dim, bool keepdim = false) => Reduce(ReduceOp.Argmax, [dim], false, keepdim);
    /// <summary>Index of the smallest element of the flattened tensor.</summary>
    public Tensor argmin() => Reduce(ReduceOp.Argmin, default, true, false);
    /// <summary>Indices of the smallest elements along a dimension.</summary>
    public Tensor argmin(long dim, bool keepdim = false) => Reduce(ReduceOp.Argmin, [dim], false, keepdim);

    /// <summary>Largest values along a dimension and their indices (PyTorch's <c>torch.max(x, dim)</c>).</summary>
    public (Tensor values, Tensor indexes) max(long dim, bool keepdim = false)
    {
        LibTorch.Check(LibTorch.pt_max_dim(Handle, dim, keepdim, false, out var v, out var i));
        return (Wrap(v), Wrap(i));
    }

    /// <summary>Smallest values along a dimension and their indices.</summary>
    public (Tensor values, Tensor indexes) min(long dim, bool keepdim = false)
    {
        LibTorch.Check(LibTorch.pt_max_dim(Handle, dim, keepdim, true, out var v, out var i));
        return (Wrap(v), Wrap(i));
    }

    /// <summary>The k largest (or smallest) values along a dimension and their indices.</summary>
    public (Tensor values, Tensor indexes) topk(long k, long dim = -1, bool largest = true, bool sorted = true)
    {
        LibTorch.Check(LibTorch.pt_topk(Handle, k, dim, largest, sorted, out var v, out var i));
        return (Wrap(v), Wrap(i));
    }
}
