namespace Pipelines.Handlers;

/// <summary>
/// A callback for Completed: a member of a [Pipeline] class, or a callback given in FitOptions.Callbacks, whose type implements it is called by the
/// generated loop once when the run completes (all epochs, max steps or a terminate request); not after an interruption, members in declaration order with the [OnEvent] methods of that event by direct calls, then
/// FitOptions.Callbacks in their order by interface calls over an array (no delegate, no allocation).
/// </summary>
public interface ICompletedHandler : ICallback
{
    /// <summary>Called once when the run completes (all epochs, max steps or a terminate request); not after an interruption.</summary>
    void OnCompleted(in PipelineState state);
}
