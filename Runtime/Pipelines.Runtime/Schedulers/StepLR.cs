using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Schedulers;

/// <summary>PyTorch's <c>StepLR</c>: <c>lr = base_lr * gamma ^ floor(step / step_size)</c>.</summary>
public sealed class StepLR : LRScheduler
{
    /// <summary>Multiplies the rate by <paramref name="gamma"/> every <paramref name="stepSize"/> steps.</summary>
    public StepLR(optim.Optimizer optimizer, int stepSize, double gamma = 0.1, SchedulerInterval interval = SchedulerInterval.Epoch) : base(optimizer, interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepSize, 1);
        Schedules.CheckFactor(gamma, nameof(gamma));
        StepSize = stepSize;
        Gamma = gamma;
        Initialize();
    }

    /// <summary>Steps between decays.</summary>
    public int StepSize { get; }

    /// <summary>The decay factor.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    protected override double LrAt(int group, double baseLr, int step) => baseLr * Math.Pow(Gamma, step / StepSize);
}
