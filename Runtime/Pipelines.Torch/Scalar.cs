using Pipelines.Torch.Native;

namespace Pipelines.Torch;

/// <summary>
/// A number passed to libtorch as floating, integral or boolean, so that <c>t + 1</c> keeps an
/// integer tensor integral and <c>t + 1.0</c> promotes it, as in PyTorch.
/// </summary>
public readonly struct Scalar
{
    readonly NativeScalar value;

    Scalar(NativeScalar value) => this.value = value;

    internal NativeScalar Native => value;

    /// <summary>A floating scalar.</summary>
    public static implicit operator Scalar(double v) => new(new NativeScalar(0, v, 0));

    /// <summary>A floating scalar.</summary>
    public static implicit operator Scalar(float v) => new(new NativeScalar(0, v, 0));

    /// <summary>An integral scalar.</summary>
    public static implicit operator Scalar(long v) => new(new NativeScalar(1, v, v));

    /// <summary>An integral scalar.</summary>
    public static implicit operator Scalar(int v) => new(new NativeScalar(1, v, v));

    /// <summary>A boolean scalar.</summary>
    public static implicit operator Scalar(bool v) => new(new NativeScalar(2, v ? 1 : 0, v ? 1 : 0));

    /// <summary>Whether the scalar is integral (or boolean).</summary>
    public bool IsIntegral => value.Kind != 0;

    /// <summary>The value as a double.</summary>
    public double ToDouble() => value.Kind == 0 ? value.Double : value.Long;
}
