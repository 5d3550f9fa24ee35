using Pipelines.Torch.Native;

namespace Pipelines.Torch;

/// <summary>
/// <c>torch.nn.utils.clip_grad_norm_</c> and <c>clip_grad_value_</c> over a parameter list fixed
/// once, for a training loop that clips at every optimizer step: the list and its handle array
/// are built here, so a call allocates no managed memory. <see cref="ClipNorm"/> does not return
/// the total norm (a new tensor object per call); use <see cref="torch.nn.utils.clip_grad_norm_"/>
/// where the norm itself is wanted.
/// </summary>
public sealed class GradientClipper
{
    readonly Tensor[] parameters;
    readonly IntPtr[] handles;

    /// <summary>Clips the gradients of <paramref name="parameters"/> (copied once; parameters without a gradient are skipped at each call).</summary>
    /// <exception cref="ArgumentNullException">When the list or one of its parameters is null.</exception>
    public GradientClipper(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        this.parameters = parameters.ToArray();
        foreach (var parameter in this.parameters)
            ArgumentNullException.ThrowIfNull(parameter, nameof(parameters));
        handles = new IntPtr[this.parameters.Length];
    }

    /// <summary>The number of parameters clipped.</summary>
    public int Count => parameters.Length;

    /// <summary>
    /// Scales the gradients in place so that their joint <paramref name="normType"/>-norm is at
    /// most <paramref name="maxNorm"/> (PyTorch's <c>clip_grad_norm_</c>, one native call).
    /// </summary>
    /// <exception cref="TorchException">With <paramref name="errorIfNonfinite"/>, when the norm is NaN or infinite (nothing is scaled).</exception>
    public unsafe void ClipNorm(double maxNorm, double normType = 2, bool errorIfNonfinite = false)
    {
        var n = RefreshHandles();
        int status;
        IntPtr total;
        fixed (IntPtr* p = handles)
            status = LibTorch.pt_clip_grad_norm_(p, n, maxNorm, normType, errorIfNonfinite, out total);
        GC.KeepAlive(parameters);
        LibTorch.Check(status);
        // The norm is a new native tensor nobody asked for: free it without a managed wrapper.
        LibTorch.pt_tensor_free(total);
    }

    /// <summary>Clamps the gradients in place to [-<paramref name="clipValue"/>, <paramref name="clipValue"/>] (PyTorch's <c>clip_grad_value_</c>).</summary>
    public unsafe void ClipValue(double clipValue)
    {
        var n = RefreshHandles();
        int status;
        fixed (IntPtr* p = handles)
            status = LibTorch.pt_clip_grad_value_(p, n, clipValue);
        GC.KeepAlive(parameters);
        LibTorch.Check(status);
    }

    // Read at every call rather than cached: a parameter's handle is only valid while it lives,
    // and a disposed parameter must fail here with ObjectDisposedException, not reach native code.
    int RefreshHandles()
    {
        for (var i = 0; i < parameters.Length; i++)
            handles[i] = parameters[i].Handle.DangerousGetHandle();
        return parameters.Length;
    }
}
