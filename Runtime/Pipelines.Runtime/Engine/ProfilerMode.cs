namespace Pipelines;

/// <summary>Which profiler <c>Fit</c> runs (<see cref="FitOptions.Profiler"/>, Lightning's <c>Trainer(profiler=...)</c>).</summary>
public enum ProfilerMode
{
    /// <summary>No profiler (the default): the phase marks of the loop are a null check each.</summary>
    None,

    /// <summary>
    /// Lightning's <c>"simple"</c>: the wall time of each phase of a training step (<see cref="ProfiledPhase"/>)
    /// and of the validation passes, printed at the end of <c>Fit</c> and returned in <c>FitResult.Profile</c>.
    /// </summary>
    Simple,
}
