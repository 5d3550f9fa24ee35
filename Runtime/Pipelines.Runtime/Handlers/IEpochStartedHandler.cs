namespace Pipelines.Handlers;

/// <summary>
/// A callback for EpochStarted: a member of a [Pipeline] class whose type implements it is called by the
/// generated loop at the start of every training epoch, before its first iteration, in declaration order with the other callbacks and [OnEvent] methods of that
/// event, by a direct call (no delegate, no allocation).
/// </summary>
public interface IEpochStartedHandler
{
    /// <summary>Called at the start of every training epoch, before its first iteration.</summary>
    void OnEpochStarted(in PipelineState state);
}
