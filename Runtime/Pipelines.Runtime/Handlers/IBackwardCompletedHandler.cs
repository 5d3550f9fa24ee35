namespace Pipelines.Handlers;

/// <summary>
/// A callback for BackwardCompleted: a member of a [Pipeline] class whose type implements it is called by the
/// generated loop after every training iteration's backward (or a manual step), before the optimizer step; the loss is on the device, in declaration order with the other callbacks and [OnEvent] methods of that
/// event, by a direct call (no delegate, no allocation).
/// </summary>
public interface IBackwardCompletedHandler
{
    /// <summary>Called after every training iteration's backward (or a manual step), before the optimizer step; the loss is on the device.</summary>
    void OnBackwardCompleted(in PipelineState state);
}
