using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Schedulers;

/// <summary>PyTorch's <c>ExponentialLR</c>: <c>lr = base_lr * gamma ^ step</c>.</summary>
public sealed class ExponentialLR : LRScheduler
{
    /// <summary>Multiplies the rate by <paramref name="gamma"/> every step.</summary>
    public ExponentialLR(optim.Optimizer optimizer, double gamma, SchedulerInterval interval = SchedulerInterval.Epoch) : base(optimizer, interval)
    {
        Schedules.CheckFactor(gamma, nameof(gamma));
        Gamma = gamma;
        Initialize();
    }

    /// <summary>The decay factor.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    protected override double LrAt(int group, double baseLr, int step) => baseLr * Math.Pow(Gamma, step);
}
