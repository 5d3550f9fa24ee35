using System.Globalization;
using System.Text;

namespace Pipelines;

/// <summary>
/// What <see cref="ProfilerMode.Simple"/> measured in one <c>Fit</c> run: each phase's mean, total and
/// share of the run's wall time. The rest of the run (setup, epoch-end handlers and checkpoints, the
/// iterations' dispose scopes) is <see cref="Other"/>. On CUDA a phase's time is the time its host
/// code took to queue its kernels, except where something waits for the device (a loss read, clipping
/// by norm, the loss scaler's inf check): read CUDA profiles with that in mind, as Lightning's.
/// </summary>
public sealed class StepProfile
{
    internal StepProfile(IReadOnlyList<PhaseTiming> phases, int iterations, TimeSpan elapsed)
    {
        Phases = phases;
        Iterations = iterations;
        Elapsed = elapsed;
        var measured = TimeSpan.Zero;
        foreach (var phase in phases)
            measured += phase.Total;
        Other = elapsed > measured ? elapsed - measured : TimeSpan.Zero;
    }

    /// <summary>One entry per <see cref="ProfiledPhase"/>, in the enum's order.</summary>
    public IReadOnlyList<PhaseTiming> Phases { get; }

    /// <summary>The training iterations profiled.</summary>
    public int Iterations { get; }

    /// <summary>The run's wall time, from the start of <c>Fit</c> to its end.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The wall time outside the profiled phases.</summary>
    public TimeSpan Other { get; }

    /// <summary>The timing of <paramref name="phase"/>.</summary>
    public PhaseTiming this[ProfiledPhase phase] => Phases[(int)phase];

    /// <summary>The table <c>Fit</c> prints: one line per phase with its mean, count, total and share, then the rest of the run.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"profile (simple): {Iterations} training iterations in {Elapsed.TotalSeconds:0.000} s");
        text.AppendLine(culture, $"{"phase",-15}{"mean (ms)",12}{"count",9}{"total (s)",12}{"share",9}");
        foreach (var phase in Phases)
            text.AppendLine(culture, $"{Name(phase.Phase),-15}{phase.Mean.TotalMilliseconds,12:0.000}{phase.Count,9}{phase.Total.TotalSeconds,12:0.000}{phase.Share,9:0.0%}");
        var otherShare = Elapsed > TimeSpan.Zero ? Other / Elapsed : 0;
        text.Append(culture, $"{"other",-15}{"",12}{"",9}{Other.TotalSeconds,12:0.000}{otherShare,9:0.0%}");
        return text.ToString();
    }

    static string Name(ProfiledPhase phase) => phase switch
    {
        ProfiledPhase.DataWait => "data wait",
        ProfiledPhase.TrainingStep => "training step",
        ProfiledPhase.Backward => "backward",
        ProfiledPhase.GradientReduce => "gradient reduce",
        ProfiledPhase.OptimizerStep => "optimizer step",
        ProfiledPhase.Callbacks => "callbacks",
        _ => "validation",
    };
}
