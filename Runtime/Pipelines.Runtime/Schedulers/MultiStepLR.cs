using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Schedulers;

/// <summary>PyTorch's <c>MultiStepLR</c>: <c>lr = base_lr * gamma ^ (milestones reached)</c>, a milestone listed twice counting twice.</summary>
public sealed class MultiStepLR : LRScheduler
{
    readonly int[] milestones;

    /// <summary>Multiplies the rate by <paramref name="gamma"/> at each of <paramref name="milestones"/> (step counts).</summary>
    public MultiStepLR(optim.Optimizer optimizer, IEnumerable<int> milestones, double gamma = 0.1, SchedulerInterval interval = SchedulerInterval.Epoch) : base(optimizer, interval)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        this.milestones = [.. milestones];
        Array.Sort(this.milestones);
        if (this.milestones.Length > 0 && this.milestones[0] < 1)
            throw new ArgumentOutOfRangeException(nameof(milestones), this.milestones[0], "Milestones are step counts, at least 1.");
        Schedules.CheckFactor(gamma, nameof(gamma));
        Gamma = gamma;
        Initialize();
    }

    /// <summary>The milestones, sorted.</summary>
    public IReadOnlyList<int> Milestones => milestones;

    /// <summary>The decay factor.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    protected override double LrAt(int group, double baseLr, int step)
    {
        var reached = 0;
        while (reached < milestones.Length && milestones[reached] <= step)
            reached++;
        return baseLr * Math.Pow(Gamma, reached);
    }
}
