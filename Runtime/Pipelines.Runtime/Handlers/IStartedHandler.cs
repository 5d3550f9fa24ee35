namespace Pipelines.Handlers;

/// <summary>
/// A callback for Started: a member of a [Pipeline] class whose type implements it is called by the
/// generated loop once per Fit, after a resume was restored and before the first epoch (the run's length, directory and hyperparameters are known), in declaration order with the other callbacks and [OnEvent] methods of that
/// event, by a direct call (no delegate, no allocation).
/// </summary>
public interface IStartedHandler
{
    /// <summary>Called once per Fit, after a resume was restored and before the first epoch (the run's length, directory and hyperparameters are known).</summary>
    void OnStarted(in PipelineState state);
}
