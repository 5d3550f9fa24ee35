namespace Pipelines.Handlers;

/// <summary>
/// A callback for ValidationStarted: a member of a [Pipeline] class whose type implements it is called by the
/// generated loop before every validation pass, after the epoch's training, in declaration order with the other callbacks and [OnEvent] methods of that
/// event, by a direct call (no delegate, no allocation).
/// </summary>
public interface IValidationStartedHandler
{
    /// <summary>Called before every validation pass, after the epoch's training.</summary>
    void OnValidationStarted(in PipelineState state);
}
