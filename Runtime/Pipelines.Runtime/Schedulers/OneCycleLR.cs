using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Schedulers;

/// <summary>
/// PyTorch's <c>OneCycleLR</c> (Smith's 1cycle policy), stepped per optimizer step: from
/// <c>max_lr / div_factor</c> up to <c>max_lr</c> over the first <see cref="PctStart"/> of
/// <see cref="TotalSteps"/>, then down to <c>initial / final_div_factor</c> (with
/// <see cref="ThreePhase"/>: back to the initial rate first, then down). The groups' own rates
/// are replaced, as in PyTorch. With <see cref="CycleMomentum"/> (the default, as in PyTorch) the
/// momentum moves the other way, from <see cref="MaxMomentum"/> down to <see cref="BaseMomentum"/>
/// while the rate rises and back while it falls (with <see cref="ThreePhase"/>: back while it
/// returns, then held); it is each group's <see cref="optim.IMomentum.Momentum"/> (SGD, RMSProp) or
/// the first of its <see cref="optim.IBetas.Betas"/> (Adam, AdamW).
/// </summary>
public sealed class OneCycleLR : LRScheduler
{
    /// <summary>A one-cycle schedule peaking at <paramref name="maxLr"/> for every group, over <paramref name="totalSteps"/> steps (null: the run's optimizer steps, set when it starts).</summary>
    /// <exception cref="ArgumentException">When <paramref name="cycleMomentum"/> is set and the optimizer has neither a momentum nor a beta1 (Adagrad).</exception>
    public OneCycleLR(optim.Optimizer optimizer, double maxLr, int? totalSteps = null, double pctStart = 0.3, AnnealStrategy annealStrategy = AnnealStrategy.Cos,
        bool cycleMomentum = true, double baseMomentum = 0.85, double maxMomentum = 0.95, double divFactor = 25, double finalDivFactor = 1e4,
        bool threePhase = false, SchedulerInterval interval = SchedulerInterval.OptimizerStep)
        : base(optimizer, interval)
    {
        Schedules.CheckFactor(maxLr, nameof(maxLr));
        if (totalSteps is { } steps)
            ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1, nameof(totalSteps));
        if (!(pctStart > 0 && pctStart < 1))
            throw new ArgumentOutOfRangeException(nameof(pctStart), pctStart, "pct_start must be in (0, 1).");
        Schedules.CheckFactor(divFactor, nameof(divFactor));
        Schedules.CheckFactor(finalDivFactor, nameof(finalDivFactor));
        if (!Enum.IsDefined(annealStrategy))
            throw new ArgumentOutOfRangeException(nameof(annealStrategy), annealStrategy, "Unknown anneal strategy.");
        if (cycleMomentum)
        {
            CheckMomentum(baseMomentum, nameof(baseMomentum));
            CheckMomentum(maxMomentum, nameof(maxMomentum));
            if (optimizer is not (optim.IMomentum or optim.IBetas))
                throw new ArgumentException(
                    $"The optimizer must support momentum or beta1 with cycleMomentum enabled: {optimizer.GetType().Name} has neither (pass cycleMomentum: false to schedule the learning rate alone).",
                    nameof(optimizer));
        }
        MaxLr = maxLr;
        PctStart = pctStart;
        Strategy = annealStrategy;
        CycleMomentum = cycleMomentum;
        BaseMomentum = baseMomentum;
        MaxMomentum = maxMomentum;
        ThreePhase = threePhase;
        InitialLr = maxLr / divFactor;
        MinLr = InitialLr / finalDivFactor;
        Initialize(totalSteps);
    }

    /// <inheritdoc />
    protected override void SetRunLength(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        TotalSteps = length;
        PhaseEnds = ThreePhase
            ? [PctStart * length - 1, 2 * PctStart * length - 2, length - 1]
            : [PctStart * length - 1, length - 1];
    }

    /// <summary>The peak rate.</summary>
    public double MaxLr { get; }

    /// <summary>The rate at step 0 (<c>max_lr / div_factor</c>).</summary>
    public double InitialLr { get; }

    /// <summary>The rate at the last step (<c>initial / final_div_factor</c>).</summary>
    public double MinLr { get; }

    /// <summary>The number of steps the schedule defines (0 until a run sets it); stepping past it throws, as in PyTorch.</summary>
    public int TotalSteps { get; private set; }

    /// <summary>The share of the steps spent rising.</summary>
    public double PctStart { get; }

    /// <summary>How each phase interpolates.</summary>
    public AnnealStrategy Strategy { get; }

    /// <summary>Whether the momentum (or Adam's beta1) moves against the rate; when false the optimizer's own is left alone.</summary>
    public bool CycleMomentum { get; }

    /// <summary>The momentum at the peak rate.</summary>
    public double BaseMomentum { get; }

    /// <summary>The momentum at the start and the end of the cycle.</summary>
    public double MaxMomentum { get; }

    /// <summary>Whether the schedule has a separate return to the initial rate before the final decay.</summary>
    public bool ThreePhase { get; }

    /// <summary>The (fractional, as in PyTorch) step at which each phase ends.</summary>
    public IReadOnlyList<double> PhaseEnds { get; private set; } = [];

    /// <inheritdoc />
    protected override int? Length => TotalSteps == 0 ? null : TotalSteps;

    /// <inheritdoc />
    protected override void CheckStep(int step)
    {
        if (step > TotalSteps)
            throw new InvalidOperationException(
                $"Tried to step {step} times. The specified number of total steps is {TotalSteps}: the run is longer than the schedule; size totalSteps for every optimizer step of the run (epochs x steps per epoch).");
    }

    /// <inheritdoc />
    protected override double LrAt(int group, double baseLr, int step)
    {
        var (phase, pct) = Position(step);
        var rates = ThreePhase ? (stackalloc double[] { InitialLr, MaxLr, InitialLr, MinLr }) : (stackalloc double[] { InitialLr, MaxLr, MinLr });
        return Anneal(rates[phase], rates[phase + 1], pct);
    }

    /// <inheritdoc />
    protected override void ApplyOtherHyperparameters(ParamGroup group, int step)
    {
        if (!CycleMomentum)
            return;
        var (phase, pct) = Position(step);
        var momentums = ThreePhase
            ? (stackalloc double[] { MaxMomentum, BaseMomentum, MaxMomentum, MaxMomentum })
            : (stackalloc double[] { MaxMomentum, BaseMomentum, MaxMomentum });
        var momentum = Anneal(momentums[phase], momentums[phase + 1], pct);
        if (group is optim.IBetas betas)
            betas.Betas = (momentum, betas.Betas.Item2);
        else
            ((optim.IMomentum)group).Momentum = momentum;
    }

    /// <summary>The phase <paramref name="step"/> falls in and how far along it is (0 at its start, 1 at its end; beyond 1 past the last step).</summary>
    (int Phase, double Pct) Position(int step)
    {
        var phase = 0;
        var start = 0.0;
        while (phase < PhaseEnds.Count - 1 && step > PhaseEnds[phase])
            start = PhaseEnds[phase++];
        return (phase, (step - start) / (PhaseEnds[phase] - start));
    }

    double Anneal(double from, double to, double pct) => Strategy == AnnealStrategy.Cos
        ? to + (from - to) / 2.0 * (Math.Cos(Math.PI * pct) + 1)
        : (to - from) * pct + from;

    static void CheckMomentum(double value, string name)
    {
        if (!(value >= 0 && value < 1))
            throw new ArgumentOutOfRangeException(name, value, "A momentum (or beta1) must be in [0, 1).");
    }
}
