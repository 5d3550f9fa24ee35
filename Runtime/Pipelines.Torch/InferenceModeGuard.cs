using Pipelines.Torch.Native;

namespace Pipelines.Torch;

/// <summary>Leaves inference mode when disposed; from <see cref="torch.inference_mode"/>. Dispose it on the thread that created it.</summary>
public sealed class InferenceModeGuard : IDisposable
{
    IntPtr guard;

    InferenceModeGuard(IntPtr guard) => this.guard = guard;

    internal static InferenceModeGuard Enter(bool enabled)
    {
        LibTorch.Check(LibTorch.pt_inference_mode_enter(enabled, out var guard));
        return new InferenceModeGuard(guard);
    }

    /// <summary>Restores the autograd state that was in force when the guard was created.</summary>
    public void Dispose()
    {
        var g = guard;
        guard = IntPtr.Zero;
        if (g != IntPtr.Zero)
            LibTorch.pt_inference_mode_exit(g);
    }
}
