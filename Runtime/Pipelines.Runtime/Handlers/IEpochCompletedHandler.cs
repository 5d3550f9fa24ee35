namespace Pipelines.Handlers;

/// <summary>
/// A callback for EpochCompleted: a member of a [Pipeline] class whose type implements it is called by the
/// generated loop at the end of every epoch, after its validation when one ran (the epoch-end checkpoints come after every handler), in declaration order with the other callbacks and [OnEvent] methods of that
/// event, by a direct call (no delegate, no allocation).
/// </summary>
public interface IEpochCompletedHandler
{
    /// <summary>Called at the end of every epoch, after its validation when one ran (the epoch-end checkpoints come after every handler).</summary>
    void OnEpochCompleted(in PipelineState state);
}
