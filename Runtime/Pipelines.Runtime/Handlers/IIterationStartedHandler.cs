namespace Pipelines.Handlers;

/// <summary>
/// A callback for IterationStarted: a member of a [Pipeline] class whose type implements it is called by the
/// generated loop at the start of every training iteration, after its batch is fetched and before the step, in declaration order with the other callbacks and [OnEvent] methods of that
/// event, by a direct call (no delegate, no allocation).
/// </summary>
public interface IIterationStartedHandler
{
    /// <summary>Called at the start of every training iteration, after its batch is fetched and before the step.</summary>
    void OnIterationStarted(in PipelineState state);
}
