using Pipelines.Torch.Native;

namespace Pipelines.Torch;

/// <summary>
/// Leaves inference mode when disposed; from <see cref="torch.inference_mode"/>. Guards restore
/// thread-local state, so each must end on the thread that created it, innermost first.
/// </summary>
public sealed class InferenceModeGuard : IDisposable
{
    [ThreadStatic] static int depth;

    IntPtr guard;
    readonly int thread;
    readonly int level;

    InferenceModeGuard(IntPtr guard)
    {
        this.guard = guard;
        thread = Environment.CurrentManagedThreadId;
        level = ++depth;
    }

    internal static InferenceModeGuard Enter(bool enabled)
    {
        LibTorch.Check(LibTorch.pt_inference_mode_enter(enabled, out var guard));
        return new InferenceModeGuard(guard);
    }

    /// <summary>Restores the autograd state that was in force when the guard was created; a second call does nothing.</summary>
    /// <exception cref="InvalidOperationException">On another thread, or while a guard created after this one is still active.</exception>
    public void Dispose()
    {
        if (guard == IntPtr.Zero)
            return;
        // The native guard restores the state it saved: out of order or on another thread it
        // would silently leave the wrong mode behind.
        if (thread != Environment.CurrentManagedThreadId)
            throw new InvalidOperationException("An inference-mode guard must be disposed on the thread that created it.");
        if (level != depth)
            throw new InvalidOperationException("Inference-mode guards must be disposed in the reverse order they were created.");
        var g = guard;
        guard = IntPtr.Zero;
        depth--;
        LibTorch.pt_inference_mode_exit(g);
    }
}
