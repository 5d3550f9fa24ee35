namespace Pipelines.Handlers;

/// <summary>
/// A callback for IterationCompleted: a member of a [Pipeline] class, or a callback given in FitOptions.Callbacks, whose type implements it is called by the
/// generated loop after every training iteration (after the optimizer step, when one was due); the loss is still on the device, members in declaration order with the [OnEvent] methods of that event by direct calls, then
/// FitOptions.Callbacks in their order by interface calls over an array (no delegate, no allocation).
/// </summary>
public interface IIterationCompletedHandler : ICallback
{
    /// <summary>Called after every training iteration (after the optimizer step, when one was due); the loss is still on the device.</summary>
    void OnIterationCompleted(in PipelineState state);
}
