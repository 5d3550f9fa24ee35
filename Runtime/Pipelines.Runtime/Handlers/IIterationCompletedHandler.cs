namespace Pipelines.Handlers;

/// <summary>
/// A callback for IterationCompleted: a member of a [Pipeline] class whose type implements it is called by the
/// generated loop after every training iteration (after the optimizer step, when one was due); the loss is still on the device, in declaration order with the other callbacks and [OnEvent] methods of that
/// event, by a direct call (no delegate, no allocation).
/// </summary>
public interface IIterationCompletedHandler
{
    /// <summary>Called after every training iteration (after the optimizer step, when one was due); the loss is still on the device.</summary>
    void OnIterationCompleted(in PipelineState state);
}
