using System.Diagnostics;

namespace Pipelines;

/// <summary>
/// The timer behind <see cref="ProfilerMode.Simple"/>: the loop marks the end of each phase, and the
/// time since the previous mark (or since <see cref="Start"/>) counts for that phase. Two
/// timestamps' difference and an array add per mark; nothing is allocated after construction.
/// </summary>
internal sealed class StepProfiler
{
    static readonly int PhaseCount = Enum.GetValues<ProfiledPhase>().Length;

    readonly long[] ticks = new long[PhaseCount];
    long lapStart;
    int iterations;
    int validations;

    /// <summary>Starts timing at a phase boundary whose preceding time counts for no phase.</summary>
    public void Start() => lapStart = Stopwatch.GetTimestamp();

    /// <summary>Starts a training iteration (its time until the first mark is the data wait).</summary>
    public void StartIteration()
    {
        iterations++;
        lapStart = Stopwatch.GetTimestamp();
    }

    /// <summary>Counts the time since the previous mark for <paramref name="phase"/>.</summary>
    public void End(ProfiledPhase phase)
    {
        var now = Stopwatch.GetTimestamp();
        ticks[(int)phase] += now - lapStart;
        lapStart = now;
        if (phase == ProfiledPhase.Validation)
            validations++;
    }

    /// <summary>The timings, as shares of <paramref name="elapsed"/>.</summary>
    public StepProfile Result(TimeSpan elapsed)
    {
        var phases = new PhaseTiming[PhaseCount];
        for (var i = 0; i < PhaseCount; i++)
        {
            var phase = (ProfiledPhase)i;
            var total = Stopwatch.GetElapsedTime(0, ticks[i]);
            var share = elapsed > TimeSpan.Zero ? total / elapsed : 0;
            phases[i] = new PhaseTiming(phase, phase == ProfiledPhase.Validation ? validations : iterations, total, share);
        }
        return new StepProfile(phases, iterations, elapsed);
    }
}
