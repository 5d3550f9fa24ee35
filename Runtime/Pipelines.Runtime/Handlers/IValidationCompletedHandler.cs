namespace Pipelines.Handlers;

/// <summary>
/// A callback for ValidationCompleted: a member of a [Pipeline] class, or a callback given in FitOptions.Callbacks, whose type implements it is called by the
/// generated loop when a validation pass completes, after its metrics were written to the state's Metrics, members in declaration order with the [OnEvent] methods of that event by direct calls, then
/// FitOptions.Callbacks in their order by interface calls over an array (no delegate, no allocation).
/// </summary>
public interface IValidationCompletedHandler : ICallback
{
    /// <summary>Called when a validation pass completes, after its metrics were written to the state's Metrics.</summary>
    void OnValidationCompleted(in PipelineState state);
}
