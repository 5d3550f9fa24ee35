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
    /// <summary>Anneals from each base rate to <paramref name="etaMin"/> over <paramref name="tMax"/> steps (null: the run's length, set when it starts).</summary>
    public CosineAnnealingLR(optim.Optimizer optimizer, int? tMax = null, double etaMin = 0, SchedulerInterval interval = SchedulerInterval.Epoch) : base(optimizer, interval)
    {
        if (!(etaMin >= 0) || double.IsInfinity(etaMin))
            throw new ArgumentOutOfRangeException(nameof(etaMin), etaMin, "eta_min must be non-negative and finite.");
        EtaMin = etaMin;
        Initialize(tMax);
    }

    /// <inheritdoc />
    protected override void SetRunLength(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1, "tMax");
        TMax = length;
    }

    /// <summary>Steps of the half cosine.</summary>
    public int TMax { get; private set; }

    /// <summary>The rate reached at <see cref="TMax"/>.</summary>
    public double EtaMin { get; }

    /// <inheritdoc />
    protected override int? Length => TMax == 0 ? null : TMax;

    /// <inheritdoc />
    protected override double LrAt(int group, double baseLr, int step) =>
        EtaMin + (baseLr - EtaMin) * (1 + Math.Cos(Math.PI * step / TMax)) / 2;
}
