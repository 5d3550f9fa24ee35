using Pipelines.Torch.Native;

namespace Pipelines.Torch;

/// <summary>Restores the thread's previous grad mode when disposed; from <see cref="torch.no_grad"/>.</summary>
public readonly struct GradModeGuard : IDisposable
{
    readonly bool previous;
    readonly bool active;

    GradModeGuard(bool previous)
    {
        this.previous = previous;
        active = true;
    }

    internal static GradModeGuard Set(bool enabled)
    {
        LibTorch.Check(LibTorch.pt_set_grad_enabled(enabled, out var previous));
        return new GradModeGuard(previous);
    }

    /// <summary>Restores the grad mode that was in force when the guard was created.</summary>
    public void Dispose()
    {
        if (active)
            LibTorch.Check(LibTorch.pt_set_grad_enabled(previous, out _));
    }
}
