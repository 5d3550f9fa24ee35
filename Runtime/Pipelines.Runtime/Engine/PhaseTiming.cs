namespace Pipelines;

/// <summary>The wall time one <see cref="ProfiledPhase"/> took over a run.</summary>
/// <param name="Phase">The phase.</param>
/// <param name="Count">What <see cref="Mean"/> divides by: training iterations for the phases of a step, passes for <see cref="ProfiledPhase.Validation"/>.</param>
/// <param name="Total">The phase's wall time summed over the run.</param>
/// <param name="Share">The total as a fraction of the run's wall time (0 to 1).</param>
public sealed record PhaseTiming(ProfiledPhase Phase, int Count, TimeSpan Total, double Share)
{
    /// <summary>The mean wall time per iteration (per pass for validation); zero when the phase never ran.</summary>
    public TimeSpan Mean => Count == 0 ? TimeSpan.Zero : Total / Count;
}
