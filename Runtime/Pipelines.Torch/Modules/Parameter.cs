namespace Pipelines.Torch.Modules;

/// <summary>
/// A tensor that a module trains: it requires grad, belongs to no dispose scope (the module owns
/// it) and keeps its identity when the module moves to another device or dtype.
/// </summary>
public sealed class Parameter : Tensor
{
    /// <summary>Makes a parameter of <paramref name="data"/>'s values (detached; the argument stays the caller's).</summary>
    public Parameter(Tensor data, bool requires_grad = true) : base(Detached(data), joinScope: false)
    {
        this.requires_grad = requires_grad;
    }

    static IntPtr Detached(Tensor data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Native.LibTorch.Check(Native.LibTorch.pt_detach(data.Handle, out var r));
        return r;
    }
}
