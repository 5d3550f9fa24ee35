using System.Globalization;
using Pipelines.Metrics;

namespace Pipelines.Handlers;

/// <summary>
/// Stops training when a monitored value stops improving (Lightning's and Ignite's
/// <c>EarlyStopping</c>): a value improves when it beats the best by more than
/// <see cref="MinDelta"/> in the direction of <see cref="Mode"/>; after <see cref="Patience"/>
/// checks without improvement, or at a NaN or infinite value, it stops. As a member of a
/// [Pipeline] class it checks <see cref="Monitor"/> every time validation completes (whatever
/// <see cref="FitOptions.ValidateEvery"/> is), terminates the run and says why on the run's output;
/// its counters are part of every checkpoint.
/// </summary>
public sealed partial class EarlyStopping : Handlers.IValidationCompletedHandler
{
    readonly ImprovementMonitor watch;

    /// <summary>Stops after <paramref name="patience"/> checks of <paramref name="monitor"/> without an improvement larger than <paramref name="minDelta"/>.</summary>
    /// <param name="monitor">The metric to watch: a key of the pipeline's generated metrics record (<c>Metrics.Val.Loss</c>).</param>
    /// <param name="mode">Whether lower (a loss) or higher (an accuracy) is better.</param>
    /// <param name="patience">Checks without improvement tolerated; at least 1.</param>
    /// <param name="minDelta">The smallest change that counts as an improvement; non-negative.</param>
    /// <param name="stopOnNonFinite">Stop at once on a NaN or infinite value (Lightning's <c>check_finite</c>).</param>
    public EarlyStopping(MetricKey monitor, MonitorMode mode, int patience = 3, double minDelta = 0, bool stopOnNonFinite = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(monitor.Name, nameof(monitor));
        ArgumentOutOfRangeException.ThrowIfLessThan(patience, 1);
        if (!(minDelta >= 0) || double.IsInfinity(minDelta))
            throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, "min_delta must be non-negative and finite.");
        watch = new ImprovementMonitor(mode, patience, minDelta);
        Monitor = monitor;
        StopOnNonFinite = stopOnNonFinite;
    }

    /// <summary>The metric it watches.</summary>
    public MetricKey Monitor { get; }

    /// <summary>Checks without improvement tolerated.</summary>
    public int Patience => watch.Patience;

    /// <summary>Whether lower or higher is better.</summary>
    public MonitorMode Mode => watch.Mode;

    /// <summary>The smallest change that counts as an improvement.</summary>
    public double MinDelta => watch.MinDelta;

    /// <summary>Whether a NaN or infinite value stops at once.</summary>
    public bool StopOnNonFinite { get; }

    /// <summary>The best value seen (the worst possible before the first check).</summary>
    public double Best => watch.Best;

    /// <summary>The check (1-based) that produced <see cref="Best"/>; 0 before the first.</summary>
    public int BestCheck => watch.BestCheck;

    /// <summary>Values seen so far.</summary>
    public int Checks => watch.Checks;

    /// <summary>Checks since the last improvement.</summary>
    public int Wait => watch.Wait;

    /// <summary>Whether it has decided to stop.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Why it stopped (null while it has not).</summary>
    public string? Reason { get; private set; }

    /// <summary>Records one value; true when training should stop (now or earlier).</summary>
    /// <exception cref="InvalidOperationException">When <paramref name="value"/> is null: the metric has not been computed yet.</exception>
    public bool Step(double? value)
    {
        var current = value ?? throw new InvalidOperationException(
            $"EarlyStopping got no value for {Monitor.Name}: the metric has not been computed yet (its phase has not completed, or its step does not update it).");
        if (Stopped)
            return true;
        if (!double.IsFinite(current) && StopOnNonFinite)
        {
            watch.Skip();
            Stop(string.Create(CultureInfo.InvariantCulture, $"{Monitor.Name} is {current} at check {Checks}; best {Best:G6} at check {BestCheck}."));
            return true;
        }
        if (watch.Observe(current) || Wait < Patience)
            return false;
        Stop(string.Create(CultureInfo.InvariantCulture,
            $"{Monitor.Name} did not improve by more than {MinDelta:G6} for {Wait} checks; best {Best:G6} at check {BestCheck}."));
        return true;
    }

    /// <summary>Checks the monitored metric's new value; when training should stop, terminates the run and writes the reason to the run's output.</summary>
    public void OnValidationCompleted(in PipelineState state)
    {
        var stopped = Stopped;
        if (!Step(state.Metrics[Monitor]))
            return;
        state.Terminate();
        if (!stopped)
            state.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"epoch {state.Epoch}: {Reason}"));
    }

    void Stop(string reason)
    {
        Stopped = true;
        Reason = "Early stopping: " + reason;
    }

    /// <summary>The state to checkpoint.</summary>
    public EarlyStoppingState GetState() => new(Best, BestCheck, Checks, Wait, Stopped);

    /// <summary>Restores a state from <see cref="GetState"/>.</summary>
    /// <exception cref="ArgumentException">When the counters are inconsistent.</exception>
    public void LoadState(EarlyStoppingState state)
    {
        if (state.Checks < 0 || state.Wait < 0 || state.BestCheck < 0 || state.BestCheck > state.Checks || state.Wait > state.Checks || double.IsNaN(state.Best))
            throw new ArgumentException($"Inconsistent early-stopping state: {state}.", nameof(state));
        watch.Restore(state.Best, state.BestCheck, state.Checks, state.Wait);
        Stopped = state.Stopped;
        Reason = state.Stopped ? "Early stopping: restored in the stopped state." : null;
    }
}
