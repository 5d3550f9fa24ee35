namespace Pipelines.Handlers;

/// <summary>
/// A callback for EpochCompleted: a member of a [Pipeline] class, or a callback given in FitOptions.Callbacks, whose type implements it is called by the
/// generated loop at the end of every epoch, after its validation when one ran (the epoch-end checkpoints come after every handler), members in declaration order with the [OnEvent] methods of that event by direct calls, then
/// FitOptions.Callbacks in their order by interface calls over an array (no delegate, no allocation).
/// </summary>
public interface IEpochCompletedHandler : ICallback
{
    /// <summary>Called at the end of every epoch, after its validation when one ran (the epoch-end checkpoints come after every handler).</summary>
    void OnEpochCompleted(in PipelineState state);
}
