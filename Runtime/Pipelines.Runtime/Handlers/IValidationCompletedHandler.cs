namespace Pipelines.Handlers;

/// <summary>
/// A callback for ValidationCompleted: a member of a [Pipeline] class whose type implements it is called by the
/// generated loop when a validation pass completes, after its metrics were written to the state's Metrics, in declaration order with the other callbacks and [OnEvent] methods of that
/// event, by a direct call (no delegate, no allocation).
/// </summary>
public interface IValidationCompletedHandler
{
    /// <summary>Called when a validation pass completes, after its metrics were written to the state's Metrics.</summary>
    void OnValidationCompleted(in PipelineState state);
}
