using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Schedulers;

/// <summary>
/// PyTorch's <c>CosineAnnealingLR</c> (SGDR without restarts):
/// <c>lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * step / T_max)) / 2</c>; past
/// <see cref="TMax"/> it rises again along the same cosine, as PyTorch's does.
/// </summary>
public sealed class CosineAnnealingLR : LRScheduler
{
    /// <summary>Anneals from each base rate to <paramref name="etaMin"/> over <paramref name="tMax"/> steps.</summary>
    public CosineAnnealingLR(optim.Optimizer optimizer, int tMax, double etaMin = 0, SchedulerInterval interval = SchedulerInterval.Epoch) : base(optimizer, interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tMax, 1);
        if (!(etaMin >= 0) || double.IsInfinity(etaMin))
            throw new ArgumentOutOfRangeException(nameof(etaMin), etaMin, "eta_min must be non-negative and finite.");
        TMax = tMax;
        EtaMin = etaMin;
        Initialize();
    }

    /// <summary>Steps of the half cosine.</summary>
    public int TMax { get; }

    /// <summary>The rate reached at <see cref="TMax"/>.</summary>
    public double EtaMin { get; }

    /// <inheritdoc />
    protected override int? Length => TMax;

    /// <inheritdoc />
    protected override double LrAt(int group, double baseLr, int step) =>
        EtaMin + (baseLr - EtaMin) * (1 + Math.Cos(Math.PI * step / TMax)) / 2;
}
