namespace Pipelines.Torch;

public partial class Tensor
{
    /// <summary>Elementwise sum with broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Checked(a).add(b);
    /// <summary>Adds a scalar.</summary>
    public static Tensor operator +(Tensor a, Scalar b) => Checked(a).add(b);
    /// <summary>Adds a scalar.</summary>
    public static Tensor operator +(Scalar a, Tensor b) => Checked(b).add(a);
    /// <summary>Elementwise difference with broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Checked(a).sub(b);
    /// <summary>Subtracts a scalar.</summary>
    public static Tensor operator -(Tensor a, Scalar b) => Checked(a).sub(b);
    /// <summary>A scalar minus each element.</summary>
    public static Tensor operator -(Scalar a, Tensor b) => Call(Native.LibTorch.pt_rsub_scalar(Checked(b).Handle, a.Native, out var r), r);
    /// <summary>Elementwise product with broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Checked(a).mul(b);
    /// <summary>Multiplies by a scalar.</summary>
    public static Tensor operator *(Tensor a, Scalar b) => Checked(a).mul(b);
    /// <summary>Multiplies by a scalar.</summary>
    public static Tensor operator *(Scalar a, Tensor b) => Checked(b).mul(a);
    /// <summary>Elementwise division with broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Checked(a).div(b);
    /// <summary>Divides by a scalar.</summary>
    public static Tensor operator /(Tensor a, Scalar b) => Checked(a).div(b);
    /// <summary>A scalar divided by each element.</summary>
    public static Tensor operator /(Scalar a, Tensor b) => Call(Native.LibTorch.pt_rdiv_scalar(Checked(b).Handle, a.Native, out var r), r);
    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => Checked(a).neg();
    /// <summary>Elementwise <c>&lt;</c>.</summary>
    public static Tensor operator <(Tensor a, Tensor b) => Checked(a).lt(b);
    /// <summary>Elementwise <c>&gt;</c>.</summary>
    public static Tensor operator >(Tensor a, Tensor b) => Checked(a).gt(b);
    /// <summary>Elementwise <c>&lt;=</c>.</summary>
    public static Tensor operator <=(Tensor a, Tensor b) => Checked(a).le(b);
    /// <summary>Elementwise <c>&gt;=</c>.</summary>
    public static Tensor operator >=(Tensor a, Tensor b) => Checked(a).ge(b);
    /// <summary>Elementwise <c>&lt;</c> with a scalar.</summary>
    public static Tensor operator <(Tensor a, Scalar b) => Checked(a).lt(b);
    /// <summary>Elementwise <c>&gt;</c> with a scalar.</summary>
    public static Tensor operator >(Tensor a, Scalar b) => Checked(a).gt(b);
    /// <summary>Elementwise <c>&lt;=</c> with a scalar.</summary>
    public static Tensor operator <=(Tensor a, Scalar b) => Checked(a).le(b);
    /// <summary>Elementwise <c>&gt;=</c> with a scalar.</summary>
    public static Tensor operator >=(Tensor a, Scalar b) => Checked(a).ge(b);

    /// <summary>A scalar <c>&lt;</c> each element.</summary>
    public static Tensor operator <(Scalar a, Tensor b) => Checked(b).gt(a);
    /// <summary>A scalar <c>&gt;</c> each element.</summary>
    public static Tensor operator >(Scalar a, Tensor b) => Checked(b).lt(a);
    /// <summary>A scalar <c>&lt;=</c> each element.</summary>
    public static Tensor operator <=(Scalar a, Tensor b) => Checked(b).ge(a);
    /// <summary>A scalar <c>&gt;=</c> each element.</summary>
    public static Tensor operator >=(Scalar a, Tensor b) => Checked(b).le(a);
    /// <summary>Elementwise remainder (Python's sign convention).</summary>
    public static Tensor operator %(Tensor a, Tensor b) => Checked(a).remainder(b);
    /// <summary>Remainder by a scalar (Python's sign convention).</summary>
    public static Tensor operator %(Tensor a, Scalar b) => Checked(a).remainder(b);
    /// <summary>Elementwise bitwise (for bool: logical) and.</summary>
    public static Tensor operator &(Tensor a, Tensor b) => Checked(a).bitwise_and(b);
    /// <summary>Bitwise and with a scalar.</summary>
    public static Tensor operator &(Tensor a, Scalar b) => Checked(a).bitwise_and(b);
    /// <summary>Bitwise and with a scalar.</summary>
    public static Tensor operator &(Scalar a, Tensor b) => Checked(b).bitwise_and(a);
    /// <summary>Elementwise bitwise (for bool: logical) or.</summary>
    public static Tensor operator |(Tensor a, Tensor b) => Checked(a).bitwise_or(b);
    /// <summary>Bitwise or with a scalar.</summary>
    public static Tensor operator |(Tensor a, Scalar b) => Checked(a).bitwise_or(b);
    /// <summary>Bitwise or with a scalar.</summary>
    public static Tensor operator |(Scalar a, Tensor b) => Checked(b).bitwise_or(a);
    /// <summary>Elementwise bitwise (for bool: logical) exclusive or.</summary>
    public static Tensor operator ^(Tensor a, Tensor b) => Checked(a).bitwise_xor(b);
    /// <summary>Bitwise exclusive or with a scalar.</summary>
    public static Tensor operator ^(Tensor a, Scalar b) => Checked(a).bitwise_xor(b);
    /// <summary>Bitwise exclusive or with a scalar.</summary>
    public static Tensor operator ^(Scalar a, Tensor b) => Checked(b).bitwise_xor(a);
    /// <summary>Elementwise bitwise (for bool: logical) not, PyTorch's <c>~t</c>.</summary>
    public static Tensor operator ~(Tensor a) => Checked(a).bitwise_not();

    static Tensor Checked(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor;
    }
}
