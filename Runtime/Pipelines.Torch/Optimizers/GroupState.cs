namespace Pipelines.Torch.Optimizers;

/// <summary>
/// The per-parameter state of one group, laid out for the native step: for each kind of state
/// (exp_avg, ...) an array of tensors and a reused array of their raw handles, plus step counts.
/// </summary>
internal sealed class GroupState
{
    internal GroupState(int slotCount, int parameterCount)
    {
        Parameters = new IntPtr[parameterCount];
        Slots = new Tensor?[slotCount][];
        Handles = new IntPtr[slotCount][];
        for (var k = 0; k < slotCount; k++)
        {
            Slots[k] = new Tensor?[parameterCount];
            Handles[k] = new IntPtr[parameterCount];
        }
        Steps = new double[parameterCount];
    }

    /// <summary>The parameters' raw handles, refreshed before every step (a disposed parameter throws there).</summary>
    internal IntPtr[] Parameters { get; }

    /// <summary>State tensors by kind, then parameter; null until the parameter first has a gradient.</summary>
    internal Tensor?[][] Slots { get; }

    /// <summary>Raw handles of <see cref="Slots"/>; the native step fills null entries with state it creates.</summary>
    internal IntPtr[][] Handles { get; }

    /// <summary>Steps taken per parameter (PyTorch's <c>state['step']</c>).</summary>
    internal double[] Steps { get; }

    internal int Count => Parameters.Length;

    /// <summary>Fills the handle arrays from the current parameters and state tensors.</summary>
    internal void Prepare(Modules.Parameter[] parameters)
    {
        for (var i = 0; i < parameters.Length; i++)
            Parameters[i] = parameters[i].Handle.DangerousGetHandle();
        for (var k = 0; k < Slots.Length; k++)
        {
            var slots = Slots[k];
            var handles = Handles[k];
            for (var i = 0; i < slots.Length; i++)
                handles[i] = slots[i] is { } t ? t.Handle.DangerousGetHandle() : IntPtr.Zero;
        }
    }

    /// <summary>Takes ownership of the state tensors a native step created (even when it then failed).</summary>
    internal void AdoptNewState()
    {
        for (var k = 0; k < Slots.Length; k++)
        {
            var slots = Slots[k];
            var handles = Handles[k];
            for (var i = 0; i < slots.Length; i++)
                if (slots[i] is null && handles[i] != IntPtr.Zero)
                    slots[i] = Tensor.Adopt(handles[i]);
        }
    }

    /// <summary>Frees every state tensor and resets the step counts.</summary>
    internal void Clear()
    {
        foreach (var slots in Slots)
            for (var i = 0; i < slots.Length; i++)
            {
                slots[i]?.Dispose();
                slots[i] = null;
            }
        Array.Clear(Steps);
    }
}
