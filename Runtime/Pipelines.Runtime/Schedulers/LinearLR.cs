using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Schedulers;

/// <summary>
/// PyTorch's <c>LinearLR</c>, the usual linear warmup: the factor on the base rate moves linearly
/// from <see cref="StartFactor"/> to <see cref="EndFactor"/> over <see cref="TotalIters"/> steps,
/// then stays: <c>lr = base_lr * (start + (end - start) * min(step, total) / total)</c>.
/// </summary>
public sealed class LinearLR : LRScheduler
{
    /// <summary>A linear ramp of the rate's factor (PyTorch's defaults: 1/3 to 1 over 5 steps).</summary>
    public LinearLR(optim.Optimizer optimizer, double startFactor = 1.0 / 3, double endFactor = 1.0, int totalIters = 5, SchedulerInterval interval = SchedulerInterval.OptimizerStep) : base(optimizer, interval)
    {
        if (!(startFactor > 0 && startFactor <= 1))
            throw new ArgumentOutOfRangeException(nameof(startFactor), startFactor, "The start factor must be in (0, 1].");
        if (!(endFactor >= 0 && endFactor <= 1))
            throw new ArgumentOutOfRangeException(nameof(endFactor), endFactor, "The end factor must be in [0, 1].");
        ArgumentOutOfRangeException.ThrowIfLessThan(totalIters, 1);
        StartFactor = startFactor;
        EndFactor = endFactor;
        TotalIters = totalIters;
        Initialize();
    }

    /// <summary>The factor at step 0.</summary>
    public double StartFactor { get; }

    /// <summary>The factor from <see cref="TotalIters"/> on.</summary>
    public double EndFactor { get; }

    /// <summary>Steps of the ramp.</summary>
    public int TotalIters { get; }

    /// <inheritdoc />
    protected override double LrAt(int group, double baseLr, int step) =>
        baseLr * (StartFactor + (EndFactor - StartFactor) * Math.Min(step, TotalIters) / TotalIters);
}
