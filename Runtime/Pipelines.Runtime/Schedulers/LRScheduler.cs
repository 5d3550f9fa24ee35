using Pipelines.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Schedulers;

/// <summary>
/// The base of the learning-rate schedulers (PyTorch's <c>torch.optim.lr_scheduler</c>): each
/// parameter group's rate is a closed form of its base rate and the step count, written to
/// <see cref="ParamGroup.LearningRate"/>. As in PyTorch, creating a scheduler applies step 0 and each
/// <see cref="Step()"/> advances one; <see cref="Step(in PipelineState)"/> advances to the run's
/// epoch or optimizer-step count (per <see cref="Interval"/>), so calling it from an event handler
/// is idempotent and survives resumes. As a member of a [Pipeline] class it is stepped by the
/// generated loop (after each iteration, or at each epoch end, per <see cref="Interval"/>), and a
/// schedule made without a length takes the run's (<see cref="PipelineRun.EstimatedOptimizerSteps"/>,
/// or its epochs) when the run starts; its state is part of every checkpoint.
/// </summary>
public abstract partial class LRScheduler : Handlers.IStartedHandler, Handlers.IIterationCompletedHandler, Handlers.IEpochCompletedHandler
{
    readonly double[] baseLrs;
    readonly double[] lastLrs;

    /// <summary>Schedules <paramref name="optimizer"/>'s groups from their current learning rates.</summary>
    protected LRScheduler(optim.Optimizer optimizer, SchedulerInterval interval)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!Enum.IsDefined(interval))
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "Unknown scheduler interval.");
        Optimizer = optimizer;
        Interval = interval;
        var groups = OptimizerGroups.Of(optimizer);
        baseLrs = new double[groups.Count];
        lastLrs = new double[groups.Count];
        for (var g = 0; g < groups.Count; g++)
            baseLrs[g] = groups[g].LearningRate;
    }

    /// <summary>
    /// Whether the schedule's length comes from the run: it is then applied (step 0) when the run
    /// starts (<see cref="OnStarted"/>, or earlier when the run resumes, so that the restored state
    /// is checked against this run's length).
    /// </summary>
    public bool LengthFromRun { get; private set; }

    /// <summary>
    /// For a schedule whose shape depends on a length: with <paramref name="length"/>, sets it and
    /// applies step 0 (as <see cref="Initialize()"/>); without, marks the schedule to take the run's
    /// when the run starts (see <see cref="LengthFromRun"/>). Derived constructors call it last.
    /// </summary>
    protected void Initialize(int? length)
    {
        if (length is not { } known)
        {
            LengthFromRun = true;
            return;
        }
        SetRunLength(known);
        Initialize();
    }

    /// <summary>Sets the schedule's length (optimizer steps, or epochs for an epoch interval) from the run that starts.</summary>
    protected virtual void SetRunLength(int length) { }

    /// <summary>A schedule made without a length takes the run's (optimizer steps, or epochs for an epoch interval) and applies step 0; a schedule with a length, or one already started, does nothing.</summary>
    public void OnStarted(in PipelineState state) => StartRun(state.MaxEpochs, state.EstimatedOptimizerSteps);

    internal void StartRun(int epochs, int optimizerSteps)
    {
        if (!LengthFromRun || LastEpoch != -1)
            return;
        SetRunLength(Interval == SchedulerInterval.Epoch ? epochs : optimizerSteps);
        Initialize();
    }

    /// <summary>Steps to the run's optimizer-step count (an optimizer-step interval).</summary>
    public void OnIterationCompleted(in PipelineState state)
    {
        if (Interval == SchedulerInterval.OptimizerStep)
            Step(in state);
    }

    /// <summary>Steps to the run's epoch (an epoch interval).</summary>
    public void OnEpochCompleted(in PipelineState state)
    {
        if (Interval == SchedulerInterval.Epoch)
            Step(in state);
    }

    /// <summary>The optimizer whose groups this scheduler sets.</summary>
    public optim.Optimizer Optimizer { get; }

    /// <summary>What a step counts.</summary>
    public SchedulerInterval Interval { get; }

    /// <summary>Steps taken since construction (PyTorch's <c>last_epoch</c>).</summary>
    public int LastEpoch { get; private set; } = -1;

    /// <summary>Each group's learning rate when the scheduler was created (PyTorch's <c>base_lrs</c>).</summary>
    public IReadOnlyList<double> BaseLrs => baseLrs;

    /// <summary>The rates the last step set, per group (PyTorch's <c>get_last_lr()</c>).</summary>
    public IReadOnlyList<double> LastLrs => lastLrs;

    /// <summary>The learning rate of a group whose base rate is <paramref name="baseLr"/> after <paramref name="step"/> steps.</summary>
    protected abstract double LrAt(int group, double baseLr, int step);

    /// <summary>Applies step 0; derived constructors call it once their own fields are set.</summary>
    protected void Initialize()
    {
        if (LastEpoch != -1)
            throw new InvalidOperationException("The scheduler is already initialized.");
        Step();
    }

    /// <summary>Advances one step and sets every group's learning rate.</summary>
    public void Step()
    {
        var next = LastEpoch + 1;
        CheckStep(next);
        LastEpoch = next;
        Apply();
    }

    /// <summary>Advances to the run's epoch or optimizer-step count (per <see cref="Interval"/>); does nothing when already there.</summary>
    public void Step(in PipelineState state)
    {
        var target = Interval == SchedulerInterval.Epoch ? state.Epoch : state.OptimizerSteps;
        while (LastEpoch < target)
            Step();
    }

    /// <summary>
    /// The number of steps the schedule's shape is sized for (OneCycleLR's total steps, CosineAnnealingLR's
    /// T_max), or null when its shape does not depend on the run's length. A checkpoint records it,
    /// and a resume into a scheduler of another length is refused naming both.
    /// </summary>
    protected virtual int? Length => null;

    /// <summary>Throws when <paramref name="step"/> is beyond what the schedule defines (OneCycleLR's total steps).</summary>
    protected virtual void CheckStep(int step) { }

    /// <summary>
    /// Sets the other hyperparameters the schedule drives (OneCycleLR's momentum) in
    /// <paramref name="group"/> for <paramref name="step"/>; runs after the group's learning rate is
    /// set, on every step and on <see cref="LoadState"/>. The default sets nothing.
    /// </summary>
    protected virtual void ApplyOtherHyperparameters(ParamGroup group, int step) { }

    void Apply()
    {
        var groups = OptimizerGroups.Of(Optimizer);
        if (groups.Count != baseLrs.Length)
            throw new InvalidOperationException($"The optimizer has {groups.Count} parameter groups but the scheduler was made for {baseLrs.Length}: create the scheduler after adding every group.");
        for (var g = 0; g < baseLrs.Length; g++)
        {
            var lr = LrAt(g, baseLrs[g], LastEpoch);
            groups[g].LearningRate = lr;
            lastLrs[g] = lr;
            ApplyOtherHyperparameters(groups[g], LastEpoch);
        }
    }

    /// <summary>The state to checkpoint.</summary>
    public LRSchedulerState GetState() => new(LastEpoch, [.. baseLrs]);

    /// <summary>Restores a state from <see cref="GetState"/> and sets the groups' rates for it.</summary>
    /// <exception cref="ArgumentException">When the state has another number of groups or a negative step count.</exception>
    public void LoadState(LRSchedulerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (LengthFromRun && LastEpoch == -1)
            throw new InvalidOperationException($"This {GetType().Name} takes its length from the run and has none yet: restore it once the run has started.");
        if (state.BaseLrs.Count != baseLrs.Length)
            throw new ArgumentException($"The state has {state.BaseLrs.Count} base learning rates; this scheduler has {baseLrs.Length} parameter groups.", nameof(state));
        if (state.LastEpoch < 0)
            throw new ArgumentException($"The state's step count {state.LastEpoch} is negative.", nameof(state));
        CheckStep(state.LastEpoch);
        for (var g = 0; g < baseLrs.Length; g++)
            baseLrs[g] = state.BaseLrs[g];
        LastEpoch = state.LastEpoch;
        Apply();
    }
}
