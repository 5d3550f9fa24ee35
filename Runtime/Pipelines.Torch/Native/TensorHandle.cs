using System.Runtime.InteropServices;

namespace Pipelines.Torch.Native;

/// <summary>Owns one native <c>at::Tensor*</c>; its finalizer frees a tensor nobody disposed.</summary>
internal sealed class TensorHandle : SafeHandle
{
    public TensorHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    internal TensorHandle(IntPtr handle) : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(handle);
        TensorStatistics.OnCreated();
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        LibTorch.pt_tensor_free(handle);
        TensorStatistics.OnReleased();
        return true;
    }
}
