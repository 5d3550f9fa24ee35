namespace Pipelines.Handlers;

/// <summary>
/// A callback for IterationStarted: a member of a [Pipeline] class, or a callback given in FitOptions.Callbacks, whose type implements it is called by the
/// generated loop at the start of every training iteration, after its batch is fetched and before the step, members in declaration order with the [OnEvent] methods of that event by direct calls, then
/// FitOptions.Callbacks in their order by interface calls over an array (no delegate, no allocation).
/// </summary>
public interface IIterationStartedHandler : ICallback
{
    /// <summary>Called at the start of every training iteration, after its batch is fetched and before the step.</summary>
    void OnIterationStarted(in PipelineState state);
}
