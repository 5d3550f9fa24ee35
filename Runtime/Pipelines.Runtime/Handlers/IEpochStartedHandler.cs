namespace Pipelines.Handlers;

/// <summary>
/// A callback for EpochStarted: a member of a [Pipeline] class, or a callback given in FitOptions.Callbacks, whose type implements it is called by the
/// generated loop at the start of every training epoch, before its first iteration, members in declaration order with the [OnEvent] methods of that event by direct calls, then
/// FitOptions.Callbacks in their order by interface calls over an array (no delegate, no allocation).
/// </summary>
public interface IEpochStartedHandler : ICallback
{
    /// <summary>Called at the start of every training epoch, before its first iteration.</summary>
    void OnEpochStarted(in PipelineState state);
}
