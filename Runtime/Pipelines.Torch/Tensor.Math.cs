using Pipelines.Torch.Native;

namespace Pipelines.Torch;

public partial class Tensor
{
    Tensor Unary(UnaryOp op) => Call(LibTorch.pt_unary((int)op, Handle, out var r), r);

    internal Tensor Binary(BinaryOp op, Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Call(LibTorch.pt_binary((int)op, Handle, other.Handle, out var r), r);
    }

    internal Tensor Binary(BinaryOp op, Scalar other) => Call(LibTorch.pt_binary_scalar((int)op, Handle, other.Native, out var r), r);

    /// <summary>Elementwise sum; <paramref name="other"/> broadcasts.</summary>
    public Tensor add(Tensor other) => Binary(BinaryOp.Add, other);
    /// <summary><c>this + alpha * other</c>.</summary>
    public Tensor add(Tensor other, Scalar alpha)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Call(LibTorch.pt_add_scaled(Handle, other.Handle, alpha.Native, out var r), r);
    }
    /// <summary>Adds a scalar.</summary>
    public Tensor add(Scalar other) => Binary(BinaryOp.Add, other);
    /// <summary>Elementwise difference.</summary>
    public Tensor sub(Tensor other) => Binary(BinaryOp.Sub, other);
    /// <summary>Subtracts a scalar.</summary>
    public Tensor sub(Scalar other) => Binary(BinaryOp.Sub, other);
    /// <summary>Elementwise product.</summary>
    public Tensor mul(Tensor other) => Binary(BinaryOp.Mul, other);
    /// <summary>Multiplies by a scalar.</summary>
    public Tensor mul(Scalar other) => Binary(BinaryOp.Mul, other);
    /// <summary>Elementwise true division.</summary>
    public Tensor div(Tensor other) => Binary(BinaryOp.Div, other);
    /// <summary>Divides by a scalar.</summary>
    public Tensor div(Scalar other) => Binary(BinaryOp.Div, other);
    /// <summary>Elementwise power.</summary>
    public Tensor pow(Tensor exponent) => Binary(BinaryOp.Pow, exponent);
    /// <summary>Raises every element to a scalar power.</summary>
    public Tensor pow(Scalar exponent) => Binary(BinaryOp.Pow, exponent);
    /// <summary>Elementwise remainder (Python's sign convention).</summary>
    public Tensor remainder(Scalar other) => Binary(BinaryOp.Remainder, other);
    /// <summary>Elementwise remainder by a tensor (Python's sign convention).</summary>
    public Tensor remainder(Tensor other) => Binary(BinaryOp.Remainder, other);
    /// <summary>Elementwise bitwise (for bool: logical) and.</summary>
    public Tensor bitwise_and(Tensor other) => Binary(BinaryOp.BitwiseAnd, other);
    /// <summary>Bitwise and with a scalar.</summary>
    public Tensor bitwise_and(Scalar other) => Binary(BinaryOp.BitwiseAnd, other);
    /// <summary>Elementwise bitwise (for bool: logical) or.</summary>
    public Tensor bitwise_or(Tensor other) => Binary(BinaryOp.BitwiseOr, other);
    /// <summary>Bitwise or with a scalar.</summary>
    public Tensor bitwise_or(Scalar other) => Binary(BinaryOp.BitwiseOr, other);
    /// <summary>Elementwise bitwise (for bool: logical) exclusive or.</summary>
    public Tensor bitwise_xor(Tensor other) => Binary(BinaryOp.BitwiseXor, other);
    /// <summary>Bitwise exclusive or with a scalar.</summary>
    public Tensor bitwise_xor(Scalar other) => Binary(BinaryOp.BitwiseXor, other);
    /// <summary>Elementwise bitwise (for bool: logical) not.</summary>
    public Tensor bitwise_not() => Unary(UnaryOp.BitwiseNot);
    /// <summary>Elementwise maximum of two tensors.</summary>
    public Tensor maximum(Tensor other) => Binary(BinaryOp.Maximum, other);
    /// <summary>Elementwise minimum of two tensors.</summary>
    public Tensor minimum(Tensor other) => Binary(BinaryOp.Minimum, other);
    /// <summary>Matrix product with PyTorch's broadcasting rules.</summary>
    public Tensor matmul(Tensor other) => Binary(BinaryOp.Matmul, other);
    /// <summary>Elementwise logical and.</summary>
    public Tensor logical_and(Tensor other) => Binary(BinaryOp.LogicalAnd, other);
    /// <summary>Elementwise logical or.</summary>
    public Tensor logical_or(Tensor other) => Binary(BinaryOp.LogicalOr, other);

    /// <summary>Elementwise <c>==</c>, a bool tensor.</summary>
    public Tensor eq(Tensor other) => Binary(BinaryOp.Eq, other);
    /// <summary>Elementwise <c>==</c> with a scalar.</summary>
    public Tensor eq(Scalar other) => Binary(BinaryOp.Eq, other);
    /// <summary>Elementwise <c>!=</c>.</summary>
    public Tensor ne(Tensor other) => Binary(BinaryOp.Ne, other);
    /// <summary>Elementwise <c>!=</c> with a scalar.</summary>
    public Tensor ne(Scalar other) => Binary(BinaryOp.Ne, other);
    /// <summary>Elementwise <c>&lt;</c>.</summary>
    public Tensor lt(Tensor other) => Binary(BinaryOp.Lt, other);
    /// <summary>Elementwise <c>&lt;</c> with a scalar.</summary>
    public Tensor lt(Scalar other) => Binary(BinaryOp.Lt, other);
    /// <summary>Elementwise <c>&lt;=</c>.</summary>
    public Tensor le(Tensor other) => Binary(BinaryOp.Le, other);
    /// <summary>Elementwise <c>&lt;=</c> with a scalar.</summary>
    public Tensor le(Scalar other) => Binary(BinaryOp.Le, other);
    /// <summary>Elementwise <c>&gt;</c>.</summary>
    public Tensor gt(Tensor other) => Binary(BinaryOp.Gt, other);
    /// <summary>Elementwise <c>&gt;</c> with a scalar.</summary>
    public Tensor gt(Scalar other) => Binary(BinaryOp.Gt, other);
    /// <summary>Elementwise <c>&gt;=</c>.</summary>
    public Tensor ge(Tensor other) => Binary(BinaryOp.Ge, other);
    /// <summary>Elementwise <c>&gt;=</c> with a scalar.</summary>
    public Tensor ge(Scalar other) => Binary(BinaryOp.Ge, other);

    /// <summary>In-place <c>this += other</c>; returns this tensor.</summary>
    public Tensor add_(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        LibTorch.Check(LibTorch.pt_binary_((int)BinaryOp.Add, Handle, other.Handle));
        return this;
    }
    /// <summary>In-place <c>this += alpha * other</c>; returns this tensor.</summary>
    public Tensor add_(Tensor other, Scalar alpha)
    {
        ArgumentNullException.ThrowIfNull(other);
        LibTorch.Check(LibTorch.pt_add_scaled_(Handle, other.Handle, alpha.Native));
        return this;
    }
    /// <summary>In-place <c>this += scalar</c>.</summary>
    public Tensor add_(Scalar other) { LibTorch.Check(LibTorch.pt_binary_scalar_((int)BinaryOp.Add, Handle, other.Native)); return this; }
    /// <summary>In-place <c>this -= other</c>.</summary>
    public Tensor sub_(Tensor other) { ArgumentNullException.ThrowIfNull(other); LibTorch.Check(LibTorch.pt_binary_((int)BinaryOp.Sub, Handle, other.Handle)); return this; }
    /// <summary>In-place <c>this *= other</c>.</summary>
    public Tensor mul_(Tensor other) { ArgumentNullException.ThrowIfNull(other); LibTorch.Check(LibTorch.pt_binary_((int)BinaryOp.Mul, Handle, other.Handle)); return this; }
    /// <summary>In-place <c>this *= scalar</c>.</summary>
    public Tensor mul_(Scalar other) { LibTorch.Check(LibTorch.pt_binary_scalar_((int)BinaryOp.Mul, Handle, other.Native)); return this; }
    /// <summary>In-place <c>this /= other</c>.</summary>
    public Tensor div_(Tensor other) { ArgumentNullException.ThrowIfNull(other); LibTorch.Check(LibTorch.pt_binary_((int)BinaryOp.Div, Handle, other.Handle)); return this; }
    /// <summary>In-place <c>this /= scalar</c>.</summary>
    public Tensor div_(Scalar other) { LibTorch.Check(LibTorch.pt_binary_scalar_((int)BinaryOp.Div, Handle, other.Native)); return this; }
    /// <summary>Fills with a value in place.</summary>
    public Tensor fill_(Scalar value) { LibTorch.Check(LibTorch.pt_fill_(Handle, value.Native)); return this; }
    /// <summary>Fills with zeros in place.</summary>
    public Tensor zero_() { LibTorch.Check(LibTorch.pt_zero_(Handle)); return this; }
    /// <summary>Fills in place from a normal distribution.</summary>
    public Tensor normal_(double mean = 0, double std = 1) { LibTorch.Check(LibTorch.pt_normal_(Handle, mean, std)); return this; }
    /// <summary>Fills in place from a uniform distribution on [from, to).</summary>
    public Tensor uniform_(double from = 0, double to = 1) { LibTorch.Check(LibTorch.pt_uniform_(Handle, from, to)); return this; }
    /// <summary>Copies <paramref name="source"/> (broadcast) into this tensor in place.</summary>
    public Tensor copy_(Tensor source, bool non_blocking = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        LibTorch.Check(LibTorch.pt_copy_(Handle, source.Handle, non_blocking));
        return this;
    }
    /// <summary>In-place rectified linear unit.</summary>
    public Tensor relu_() { LibTorch.Check(LibTorch.pt_relu_(Handle)); return this; }

    /// <summary>Negation.</summary>
    public Tensor neg() => Unary(UnaryOp.Neg);
    /// <summary>e to the power of each element.</summary>
    public Tensor exp() => Unary(UnaryOp.Exp);
    /// <summary>Natural logarithm.</summary>
    public Tensor log() => Unary(UnaryOp.Log);
    /// <summary>log(1 + x), accurate for small x.</summary>
    public Tensor log1p() => Unary(UnaryOp.Log1p);
    /// <summary>exp(x) - 1, accurate for small x.</summary>
    public Tensor expm1() => Unary(UnaryOp.Expm1);
    /// <summary>Square root.</summary>
    public Tensor sqrt() => Unary(UnaryOp.Sqrt);
    /// <summary>Reciprocal square root.</summary>
    public Tensor rsqrt() => Unary(UnaryOp.Rsqrt);
    /// <summary>Square.</summary>
    public Tensor square() => Unary(UnaryOp.Square);
    /// <summary>Absolute value.</summary>
    public Tensor abs() => Unary(UnaryOp.Abs);
    /// <summary>Sign (-1, 0, 1).</summary>
    public Tensor sign() => Unary(UnaryOp.Sign);
    /// <summary>1 / x.</summary>
    public Tensor reciprocal() => Unary(UnaryOp.Reciprocal);
    /// <summary>Logistic sigmoid.</summary>
    public Tensor sigmoid() => Unary(UnaryOp.Sigmoid);
    /// <summary>Hyperbolic tangent.</summary>
    public Tensor tanh() => Unary(UnaryOp.Tanh);
    /// <summary>Rectified linear unit.</summary>
    public Tensor relu() => Unary(UnaryOp.Relu);
    /// <summary>Gaussian error linear unit (exact form).</summary>
    public Tensor gelu() => Unary(UnaryOp.Gelu);
    /// <summary>x * sigmoid(x).</summary>
    public Tensor silu() => Unary(UnaryOp.Silu);
    /// <summary>Sine.</summary>
    public Tensor sin() => Unary(UnaryOp.Sin);
    /// <summary>Cosine.</summary>
    public Tensor cos() => Unary(UnaryOp.Cos);
    /// <summary>Rounds down.</summary>
    public Tensor floor() => Unary(UnaryOp.Floor);
    /// <summary>Rounds up.</summary>
    public Tensor ceil() => Unary(UnaryOp.Ceil);
    /// <summary>Rounds half to even.</summary>
    public Tensor round() => Unary(UnaryOp.Round);
    /// <summary>Elementwise logical not.</summary>
    public Tensor logical_not() => Unary(UnaryOp.LogicalNot);
    /// <summary>Which elements are NaN.</summary>
    public Tensor isnan() => Unary(UnaryOp.IsNan);
    /// <summary>Which elements are infinite.</summary>
    public Tensor isinf() => Unary(UnaryOp.IsInf);
    /// <summary>Which elements are finite.</summary>
    public Tensor isfinite() => Unary(UnaryOp.IsFinite);

    /// <summary>
    /// Clamps every element into [min, max]; a null bound is open. Integral bounds keep an
    /// integral tensor integral, floating bounds promote it, as in PyTorch.
    /// </summary>
    public Tensor clamp(Scalar? min = null, Scalar? max = null)
    {
        if (min is null && max is null)
            throw new ArgumentException("clamp needs at least one of min and max.", nameof(min));
        return Call(LibTorch.pt_clamp(Handle, min.HasValue, min.GetValueOrDefault().Native, max.HasValue, max.GetValueOrDefault().Native, out var r), r);
    }

    /// <summary>Clamps from below (PyTorch's clamp_min).</summary>
    public Tensor clamp_min(Scalar min) => clamp(min, null);

    /// <summary>Clamps from above (PyTorch's clamp_max).</summary>
    public Tensor clamp_max(Scalar max) => clamp(null, max);

    /// <summary>Softmax along a dimension, optionally computed in another dtype.</summary>
    public Tensor softmax(long dim, ScalarType? dtype = null) => Call(LibTorch.pt_softmax(Handle, dim, dtype.HasValue ? (int)dtype.Value : -1, out var r), r);

    /// <summary>Log of the softmax along a dimension, numerically stable.</summary>
    public Tensor log_softmax(long dim, ScalarType? dtype = null) => Call(LibTorch.pt_log_softmax(Handle, dim, dtype.HasValue ? (int)dtype.Value : -1, out var r), r);

    /// <summary>Elements of this tensor where <paramref name="mask"/> is false, <paramref name="value"/> where it is true.</summary>
    public Tensor masked_fill(Tensor mask, Scalar value)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return Call(LibTorch.pt_masked_fill(Handle, mask.Handle, value.Native, out var r), r);
    }

    /// <summary>The elements where <paramref name="mask"/> is true, as a 1-D tensor.</summary>
    public Tensor masked_select(Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return Call(LibTorch.pt_masked_select(Handle, mask.Handle, out var r), r);
    }

    /// <summary>Whether every element is within <c>atol + rtol * |other|</c> of <paramref name="other"/>.</summary>
    public bool allclose(Tensor other, double rtol = 1e-5, double atol = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(other);
        LibTorch.Check(LibTorch.pt_allclose(Handle, other.Handle, rtol, atol, out var result));
        return result;
    }

    /// <summary>Whether both tensors have the same shape and elements.</summary>
    public bool equal(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        LibTorch.Check(LibTorch.pt_equal(Handle, other.Handle, out var result));
        return result;
    }
}
