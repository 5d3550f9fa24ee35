namespace Pipelines.Handlers;

/// <summary>
/// A callback for Terminated: a member of a [Pipeline] class, or a callback given in FitOptions.Callbacks, whose type implements it is called by the
/// generated loop once when the run ends because a handler asked it to terminate, before Completed, members in declaration order with the [OnEvent] methods of that event by direct calls, then
/// FitOptions.Callbacks in their order by interface calls over an array (no delegate, no allocation).
/// </summary>
public interface ITerminatedHandler : ICallback
{
    /// <summary>Called once when the run ends because a handler asked it to terminate, before Completed.</summary>
    void OnTerminated(in PipelineState state);
}
