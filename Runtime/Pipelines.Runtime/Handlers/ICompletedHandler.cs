namespace Pipelines.Handlers;

/// <summary>
/// A callback for Completed: a member of a [Pipeline] class whose type implements it is called by the
/// generated loop once when the run completes (all epochs, max steps or a terminate request); not after an interruption, in declaration order with the other callbacks and [OnEvent] methods of that
/// event, by a direct call (no delegate, no allocation).
/// </summary>
public interface ICompletedHandler
{
    /// <summary>Called once when the run completes (all epochs, max steps or a terminate request); not after an interruption.</summary>
    void OnCompleted(in PipelineState state);
}
