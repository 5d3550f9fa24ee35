using Pipelines.Checkpoints;
using Pipelines.Metrics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Schedulers;

/// <summary>
/// PyTorch's <c>ReduceLROnPlateau</c>: multiplies every group's rate by <see cref="Factor"/> (not
/// below <see cref="MinLr"/>) when the monitored value has not improved significantly for more
/// than <see cref="Patience"/> steps, then waits <see cref="Cooldown"/> steps before counting
/// again. As a member of a [Pipeline] class it steps with <see cref="Monitor"/> every time
/// validation completes; its counters are part of every checkpoint.
/// </summary>
public sealed partial class ReduceLROnPlateau : Handlers.IValidationCompletedHandler
{
    readonly optim.Optimizer optimizer;
    readonly ImprovementMonitor watch;

    /// <summary>A plateau scheduler over every group of <paramref name="optimizer"/> watching <paramref name="monitor"/> (PyTorch's defaults).</summary>
    /// <param name="optimizer">The optimizer whose groups' rates it reduces.</param>
    /// <param name="monitor">The metric to watch: a key of the pipeline's generated metrics record (<c>Metrics.Val.Loss</c>).</param>
    /// <param name="mode">Whether lower or higher is better.</param>
    /// <param name="factor">The rates' multiplier on a plateau, in (0, 1).</param>
    /// <param name="patience">Steps without improvement tolerated.</param>
    /// <param name="threshold">What counts as a significant improvement.</param>
    /// <param name="thresholdMode">Whether <paramref name="threshold"/> is relative or absolute.</param>
    /// <param name="cooldown">Steps to wait after a reduction before counting again.</param>
    /// <param name="minLr">The lowest rate.</param>
    /// <param name="eps">Reductions smaller than this are skipped.</param>
    public ReduceLROnPlateau(optim.Optimizer optimizer, MetricKey monitor, MonitorMode mode = MonitorMode.Min, double factor = 0.1, int patience = 10, double threshold = 1e-4,
        ThresholdMode thresholdMode = ThresholdMode.Rel, int cooldown = 0, double minLr = 0, double eps = 1e-8)
    {
        this.optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        ArgumentException.ThrowIfNullOrEmpty(monitor.Name, nameof(monitor));
        Monitor = monitor;
        if (!(factor > 0 && factor < 1))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be in (0, 1).");
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(cooldown);
        if (!(threshold >= 0) || double.IsInfinity(threshold))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be non-negative and finite.");
        if (!(minLr >= 0))
            throw new ArgumentOutOfRangeException(nameof(minLr), minLr, "min_lr must be non-negative.");
        watch = new ImprovementMonitor(mode, patience, threshold, relative: thresholdMode == ThresholdMode.Rel);
        if (!Enum.IsDefined(thresholdMode))
            throw new ArgumentOutOfRangeException(nameof(thresholdMode), thresholdMode, "Unknown threshold mode.");
        Factor = factor;
        ThresholdMode = thresholdMode;
        Cooldown = cooldown;
        MinLr = minLr;
        Eps = eps;
    }

    /// <summary>The metric it watches.</summary>
    public MetricKey Monitor { get; }

    /// <summary>Steps with the monitored metric's new value (the generated loop calls it when validation completes).</summary>
    public void OnValidationCompleted(in PipelineState state) => Step(state.Metrics[Monitor]);

    /// <summary>Whether lower or higher is better.</summary>
    public MonitorMode Mode => watch.Mode;

    /// <summary>The multiplier applied on a plateau.</summary>
    public double Factor { get; }

    /// <summary>Steps without improvement tolerated before reducing.</summary>
    public int Patience => watch.Patience;

    /// <summary>The smallest significant improvement (see <see cref="ThresholdMode"/>).</summary>
    public double Threshold => watch.MinDelta;

    /// <summary>Relative or absolute threshold.</summary>
    public ThresholdMode ThresholdMode { get; }

    /// <summary>Steps to wait after a reduction before counting bad steps again.</summary>
    public int Cooldown { get; }

    /// <summary>The lowest rate a reduction may set.</summary>
    public double MinLr { get; }

    /// <summary>A reduction smaller than this is skipped.</summary>
    public double Eps { get; }

    /// <summary>The best value seen.</summary>
    public double Best => watch.Best;

    /// <summary>Steps since the last significant improvement.</summary>
    public int NumBadEpochs => watch.Wait;

    /// <summary>Steps of cooldown left.</summary>
    public int CooldownCounter { get; private set; }

    /// <summary>Steps taken.</summary>
    public int LastEpoch => watch.Checks;

    /// <summary>Records one value of the monitored metric; true when the rates were reduced.</summary>
    /// <exception cref="InvalidOperationException">When <paramref name="value"/> is null: the metric has not been computed (step after validation).</exception>
    public bool Step(double? value)
    {
        var current = value ?? throw new InvalidOperationException(
            $"ReduceLROnPlateau got no value for {Monitor.Name}: the metric has not been computed yet (its phase has not completed, or its step does not update it).");
        watch.Observe(current);
        if (CooldownCounter > 0)
        {
            CooldownCounter--;
            watch.ResetWait();
        }
        if (NumBadEpochs <= Patience)
            return false;
        var reduced = false;
        var groups = OptimizerGroups.Of(optimizer);
        for (var g = 0; g < groups.Count; g++)
        {
            var old = groups[g].LearningRate;
            var lr = Math.Max(old * Factor, MinLr);
            if (old - lr > Eps)
            {
                groups[g].LearningRate = lr;
                reduced = true;
            }
        }
        CooldownCounter = Cooldown;
        watch.ResetWait();
        return reduced;
    }

    /// <summary>The state to checkpoint (the rates themselves live in the optimizer's state).</summary>
    public ReduceLROnPlateauState GetState() => new(Best, NumBadEpochs, CooldownCounter, LastEpoch);

    /// <summary>Restores a state from <see cref="GetState"/>.</summary>
    public void LoadState(ReduceLROnPlateauState state)
    {
        if (state.NumBadEpochs < 0 || state.CooldownCounter < 0 || state.LastEpoch < 0)
            throw new ArgumentException($"Invalid ReduceLROnPlateau state: {state}.", nameof(state));
        if (double.IsNaN(state.Best))
            throw new ArgumentException("Invalid ReduceLROnPlateau state: the best value is NaN.", nameof(state));
        watch.Restore(state.Best, bestCheck: 0, state.LastEpoch, state.NumBadEpochs);
        CooldownCounter = state.CooldownCounter;
    }
}
