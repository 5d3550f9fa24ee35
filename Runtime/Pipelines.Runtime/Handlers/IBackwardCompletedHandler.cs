namespace Pipelines.Handlers;

/// <summary>
/// A callback for BackwardCompleted: a member of a [Pipeline] class, or a callback given in FitOptions.Callbacks, whose type implements it is called by the
/// generated loop after every training iteration's backward (or a manual step), before the optimizer step; the loss is on the device, members in declaration order with the [OnEvent] methods of that event by direct calls, then
/// FitOptions.Callbacks in their order by interface calls over an array (no delegate, no allocation).
/// </summary>
public interface IBackwardCompletedHandler : ICallback
{
    /// <summary>Called after every training iteration's backward (or a manual step), before the optimizer step; the loss is on the device.</summary>
    void OnBackwardCompleted(in PipelineState state);
}
