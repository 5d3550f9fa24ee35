using Pipelines.Torch.Optimizers;

namespace Pipelines.Schedulers;

/// <summary>
/// PyTorch's <c>OneCycleLR</c> (Smith's 1cycle policy), stepped per optimizer step: from
/// <c>max_lr / div_factor</c> up to <c>max_lr</c> over the first <see cref="PctStart"/> of
/// <see cref="TotalSteps"/>, then down to <c>initial / final_div_factor</c> (with
/// <see cref="ThreePhase"/>: back to the initial rate first, then down). The groups' own rates
/// are replaced, as in PyTorch. Momentum is not cycled (PyTorch's <c>cycle_momentum=False</c>).
/// </summary>
public sealed class OneCycleLR : LRScheduler
{

    /// <summary>A one-cycle schedule peaking at <paramref name="maxLr"/> for every group.</summary>
    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps, double pctStart = 0.3, AnnealStrategy annealStrategy = AnnealStrategy.Cos,
        double divFactor = 25, double finalDivFactor = 1e4, bool threePhase = false, SchedulerInterval interval = SchedulerInterval.OptimizerStep)
        : base(optimizer, interval)
    {
        Schedules.CheckFactor(maxLr, nameof(maxLr));
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        if (!(pctStart > 0 && pctStart < 1))
            throw new ArgumentOutOfRangeException(nameof(pctStart), pctStart, "pct_start must be in (0, 1).");
        Schedules.CheckFactor(divFactor, nameof(divFactor));
        Schedules.CheckFactor(finalDivFactor, nameof(finalDivFactor));
        if (!Enum.IsDefined(annealStrategy))
            throw new ArgumentOutOfRangeException(nameof(annealStrategy), annealStrategy, "Unknown anneal strategy.");
        MaxLr = maxLr;
        TotalSteps = totalSteps;
        PctStart = pctStart;
        Strategy = annealStrategy;
        ThreePhase = threePhase;
        InitialLr = maxLr / divFactor;
        MinLr = InitialLr / finalDivFactor;
        PhaseEnds = threePhase
            ? [pctStart * totalSteps - 1, 2 * pctStart * totalSteps - 2, totalSteps - 1]
            : [pctStart * totalSteps - 1, totalSteps - 1];
        Initialize();
    }

    /// <summary>The peak rate.</summary>
    public double MaxLr { get; }

    /// <summary>The rate at step 0 (<c>max_lr / div_factor</c>).</summary>
    public double InitialLr { get; }

    /// <summary>The rate at the last step (<c>initial / final_div_factor</c>).</summary>
    public double MinLr { get; }

    /// <summary>The number of steps the schedule defines; stepping past it throws, as in PyTorch.</summary>
    public int TotalSteps { get; }

    /// <summary>The share of the steps spent rising.</summary>
    public double PctStart { get; }

    /// <summary>How each phase interpolates.</summary>
    public AnnealStrategy Strategy { get; }

    /// <summary>Whether the schedule has a separate return to the initial rate before the final decay.</summary>
    public bool ThreePhase { get; }

    /// <summary>The (fractional, as in PyTorch) step at which each phase ends.</summary>
    public IReadOnlyList<double> PhaseEnds { get; }

    /// <inheritdoc />
    protected override void CheckStep(int step)
    {
        if (step > TotalSteps)
            throw new InvalidOperationException($"Tried to step {step} times. The specified number of total steps is {TotalSteps}.");
    }

    /// <inheritdoc />
    protected override double LrAt(int group, double baseLr, int step)
    {
        var rates = ThreePhase ? (stackalloc double[] { InitialLr, MaxLr, InitialLr, MinLr }) : (stackalloc double[] { InitialLr, MaxLr, MinLr });
        var start = 0.0;
        for (var i = 0; i < PhaseEnds.Count; i++)
        {
            var end = PhaseEnds[i];
            if (step <= end || i == PhaseEnds.Count - 1)
            {
                var pct = (step - start) / (end - start);
                return Anneal(rates[i], rates[i + 1], pct);
            }
            start = end;
        }
        throw new InvalidOperationException("unreachable");
    }

    double Anneal(double from, double to, double pct) => Strategy == AnnealStrategy.Cos
        ? to + (from - to) / 2.0 * (Math.Cos(Math.PI * pct) + 1)
        : (to - from) * pct + from;
}
