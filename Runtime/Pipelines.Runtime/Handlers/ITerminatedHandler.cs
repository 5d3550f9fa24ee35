namespace Pipelines.Handlers;

/// <summary>
/// A callback for Terminated: a member of a [Pipeline] class whose type implements it is called by the
/// generated loop once when the run ends because a handler asked it to terminate, before Completed, in declaration order with the other callbacks and [OnEvent] methods of that
/// event, by a direct call (no delegate, no allocation).
/// </summary>
public interface ITerminatedHandler
{
    /// <summary>Called once when the run ends because a handler asked it to terminate, before Completed.</summary>
    void OnTerminated(in PipelineState state);
}
