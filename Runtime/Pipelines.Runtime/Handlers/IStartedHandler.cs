namespace Pipelines.Handlers;

/// <summary>
/// A callback for Started: a member of a [Pipeline] class, or a callback given in FitOptions.Callbacks, whose type implements it is called by the
/// generated loop once per Fit, after a resume was restored and before the first epoch (the run's length, directory and hyperparameters are known), members in declaration order with the [OnEvent] methods of that event by direct calls, then
/// FitOptions.Callbacks in their order by interface calls over an array (no delegate, no allocation).
/// </summary>
public interface IStartedHandler : ICallback
{
    /// <summary>Called once per Fit, after a resume was restored and before the first epoch (the run's length, directory and hyperparameters are known).</summary>
    void OnStarted(in PipelineState state);
}
