namespace Pipelines.Handlers;

/// <summary>
/// A callback for ValidationStarted: a member of a [Pipeline] class, or a callback given in FitOptions.Callbacks, whose type implements it is called by the
/// generated loop before every validation pass, after the epoch's training, members in declaration order with the [OnEvent] methods of that event by direct calls, then
/// FitOptions.Callbacks in their order by interface calls over an array (no delegate, no allocation).
/// </summary>
public interface IValidationStartedHandler : ICallback
{
    /// <summary>Called before every validation pass, after the epoch's training.</summary>
    void OnValidationStarted(in PipelineState state);
}
