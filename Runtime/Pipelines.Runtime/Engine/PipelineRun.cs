using System.Diagnostics;
using Pipelines.Checkpoints;
using Pipelines.Core;
using Pipelines.Data;
using Pipelines.Distributed;
using Pipelines.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines;

/// <summary>
/// The counters and flags of one run, advanced by the generated loop (handlers see them
/// read-only through <see cref="PipelineState"/>). Every member is a few integer operations so
/// that the loop stays allocation-free; the rules (limits, accumulation, termination) live here,
/// in one tested place, rather than in every generated file.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class PipelineRun : IDisposable
{
    readonly long startTimestamp = Stopwatch.GetTimestamp();
    readonly int? maxSteps;
    readonly int validateEvery;
    readonly int checkpointEvery;
    readonly AutocastSetting autocast;
    readonly GradScaler? scaler;
    readonly StepProfiler? profiler;
    GradScaler? passThroughScaler;
    StepProfile? profile;
    int accumulated;
    int lastCheckpointIteration;
    bool resumePending;
    Tensor? loss;
    Tensor? accumulationScale;
    readonly DataParallel? dataParallel;

    // Under Ddp, the manual-optimization steps since the step last averaged its gradients (see CompleteManualStep).
    int manualStepsUnreduced;
    bool cancellationAgreed;

    /// <summary>Starts a run over a training source of <paramref name="trainBatches"/> batches and a validation source of <paramref name="validationBatches"/>.</summary>
    /// <param name="options">The options, validated here.</param>
    /// <param name="trainBatches">Batches in one pass of the training source.</param>
    /// <param name="validationBatches">Batches in one pass of the validation source (0: none).</param>
    /// <param name="manualOptimization">
    /// The training step runs backward and its optimizers itself: each iteration then counts as one
    /// optimizer step (<see cref="CompleteManualStep"/>), and the options that belong to automatic
    /// optimization (accumulation, clipping) are rejected rather than silently ignored. Under
    /// <see cref="TrainingStrategy.Ddp"/> the step averages its gradients itself (<see cref="PipelineState.ReduceGradients"/>).
    /// </param>
    public PipelineRun(FitOptions options, int trainBatches, int validationBatches, bool manualOptimization = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (manualOptimization)
            RejectAutomaticOnlyOptions(options);
        ManualOptimization = manualOptimization;
        if (trainBatches < 1)
            throw new ArgumentException("The training source has no batches.", nameof(trainBatches));
        ArgumentOutOfRangeException.ThrowIfNegative(validationBatches);
        var fast = options.FastDevRun;
        MaxEpochs = fast ? 1 : options.MaxEpochs;
        TrainBatchesPerEpoch = fast ? 1 : Math.Min(trainBatches, options.LimitTrainBatches ?? int.MaxValue);
        ValidationBatches = fast ? Math.Min(1, validationBatches) : Math.Min(validationBatches, options.LimitValidationBatches ?? int.MaxValue);
        AccumulateGradBatches = fast ? 1 : options.AccumulateGradBatches;
        maxSteps = fast ? null : options.MaxSteps;
        validateEvery = fast ? 1 : options.ValidateEvery;
        checkpointEvery = options.Checkpoints?.EveryIterations ?? 0;
        var stepsPerEpoch = manualOptimization ? TrainBatchesPerEpoch : (TrainBatchesPerEpoch + AccumulateGradBatches - 1) / AccumulateGradBatches;
        EstimatedOptimizerSteps = (int)Math.Min((long)MaxEpochs * stepsPerEpoch, maxSteps ?? int.MaxValue);
        if (options.Strategy == TrainingStrategy.Ddp)
            dataParallel = new DataParallel(ProcessGroup.World);
        // Rank 0 speaks: the other ranks' progress bars, tables and summaries write nowhere.
        Output = dataParallel is { Group.Rank: not 0 } ? TextWriter.Null : options.Output ?? Console.Out;
        RunDirectory = options.RunDirectory;
        // Checked before the first batch: a missing libtorch export or an unsupported device fails the run at its start.
        autocast = AutocastSetting.For(options.Precision, options.Device?.type ?? DeviceType.CPU);
        if (options.Precision == PrecisionMode.Float16Mixed)
            scaler = new GradScaler(device: options.Device);
        if (options.Profiler == ProfilerMode.Simple)
            profiler = new StepProfiler();
    }

    static void RejectAutomaticOnlyOptions(FitOptions options)
    {
        const string Why = " applies to automatic optimization; a [TrainingStep] that returns void steps its optimizers itself, and accumulates or clips there.";
        if (options.AccumulateGradBatches != 1)
            throw new ArgumentException(nameof(FitOptions.AccumulateGradBatches) + Why, nameof(options));
        if (options.GradientClipNorm is not null)
            throw new ArgumentException(nameof(FitOptions.GradientClipNorm) + Why, nameof(options));
        if (options.GradientClipValue is not null)
            throw new ArgumentException(nameof(FitOptions.GradientClipValue) + Why, nameof(options));
    }

    /// <summary>
    /// The number of optimizer steps the run takes if no handler stops it early: epochs times
    /// optimizer steps per epoch (the training batches after <see cref="FitOptions.LimitTrainBatches"/>
    /// and <see cref="FitOptions.FastDevRun"/>, divided by <see cref="FitOptions.AccumulateGradBatches"/>
    /// rounded up, since an epoch's last partial window steps too), capped by <see cref="FitOptions.MaxSteps"/>.
    /// Schedulers that span the run (OneCycleLR) take their length from it.
    /// </summary>
    internal int EstimatedOptimizerSteps { get; }

    /// <summary>Where callbacks write their lines (<see cref="FitOptions.Output"/>, the console by default).</summary>
    internal TextWriter Output { get; }

    /// <summary>The run's directory for logs and checkpoints (<see cref="FitOptions.RunDirectory"/>), or null.</summary>
    internal string? RunDirectory { get; }

    /// <summary>The latest value of every metric (the generated loop writes them when a phase completes).</summary>
    public MetricValues Metrics { get; init; } = new([]);

    /// <summary>The pipeline's TorchSharp optimizers by member name (loggers log their learning rates, as Lightning's LearningRateMonitor does).</summary>
    public IReadOnlyList<KeyValuePair<string, optim.Optimizer>> Optimizers { get; init; } = [];

    /// <summary>The training source's data-wait meter, when it has one (progress bars show the share of time spent waiting).</summary>
    public IDataWaitMeter? DataWait { get; init; }

    /// <summary>Whether the training step steps its optimizers itself (see the constructor).</summary>
    internal bool ManualOptimization { get; }

    /// <summary>The [Hyperparameter] values of the pipeline, captured when the run started (null when the run was created without them).</summary>
    public IHyperparameters? Hyperparameters { get; init; }

    /// <summary>
    /// Cancelling it interrupts the run at the next point where a checkpoint can resume exactly:
    /// after the training iteration in progress (after the accumulation window under gradient
    /// accumulation), or between epochs. The run then ends with <see cref="Interrupted"/> set
    /// instead of throwing.
    /// </summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>
    /// The token the validation pass checks at each batch: <see cref="Cancellation"/> in one process.
    /// Under <see cref="TrainingStrategy.Ddp"/> none: a pass cancelled on one rank would leave the
    /// others waiting for it in the metrics' <c>Compute</c>, so the pass completes on every rank and
    /// the ranks agree on the cancellation at the next epoch or iteration start.
    /// </summary>
    public CancellationToken ValidationCancellation => dataParallel is null ? Cancellation : CancellationToken.None;

    /// <summary>Whether the run stopped because <see cref="Cancellation"/> was cancelled (see <see cref="Interrupt"/>).</summary>
    public bool Interrupted { get; private set; }

    /// <summary>Where the run resumed from (see <see cref="Resume"/>), or null for a fresh run.</summary>
    internal CheckpointCounters? ResumedFrom { get; private set; }

    /// <summary>The [Hyperparameter] values that differ from those of the checkpoint the run resumed (empty for a fresh run).</summary>
    internal IReadOnlyList<string> HyperparameterChanges { get; set; } = [];

    /// <summary>The path of the latest checkpoint the run wrote, or null.</summary>
    internal string? LastCheckpoint { get; private set; }

    /// <summary>The current epoch, 1-based (0 before the first).</summary>
    public int Epoch { get; private set; }

    /// <summary>The global training iteration, 1-based (0 before the first).</summary>
    public int Iteration { get; private set; }

    /// <summary>The training iteration within the current epoch, 1-based.</summary>
    public int EpochIteration { get; private set; }

    /// <summary>The number of optimizer steps taken (fewer than iterations under gradient accumulation).</summary>
    internal int OptimizerSteps { get; private set; }

    /// <summary>The number of epochs the run will start at most.</summary>
    internal int MaxEpochs { get; }

    /// <summary>Training batches per epoch, after <see cref="FitOptions.LimitTrainBatches"/> and <see cref="FitOptions.FastDevRun"/>.</summary>
    internal int TrainBatchesPerEpoch { get; }

    /// <summary>Batches per validation pass, after the limits.</summary>
    public int ValidationBatches { get; }

    /// <summary>Batches back-propagated per optimizer step.</summary>
    internal int AccumulateGradBatches { get; }

    /// <summary>Whether a handler asked the run to stop.</summary>
    public bool TerminateRequested { get; private set; }

    /// <summary>Whether the terminate request arrived during the current epoch's training iterations (its validation and EpochCompleted are then skipped).</summary>
    public bool EpochTerminated { get; private set; }

    /// <summary>The exception that is ending the run, while ExceptionRaised handlers run.</summary>
    internal Exception? Exception { get; private set; }

    /// <summary>The wall-clock time since the run started.</summary>
    internal TimeSpan Elapsed => Stopwatch.GetElapsedTime(startTimestamp);

    /// <summary>The loss of the iteration in progress (still on the device), or null outside one.</summary>
    internal Tensor? Loss => loss is { IsInvalid: false } ? loss : null;

    bool MaxStepsReached => maxSteps is { } max && OptimizerSteps >= max;

    /// <summary>Asks the run to stop once the iteration in progress has completed.</summary>
    internal void Terminate() => TerminateRequested = true;

    /// <summary>
    /// Whether the current epoch continues a mid-epoch checkpoint: its data source continues the
    /// restored pass (no new <c>StartPass</c>, which would draw the next order) and its training
    /// metrics keep their restored accumulators.
    /// </summary>
    public bool EpochResumed { get; private set; }

    bool CancellationRequested => dataParallel is null ? Cancellation.IsCancellationRequested : cancellationAgreed;

    /// <summary>
    /// Whether this process speaks: writes checkpoints and logs, and shows progress (rank 0 of a
    /// data-parallel run, or the only process). The other ranks' output is discarded.
    /// </summary>
    internal bool Speaks => dataParallel is null || dataParallel.Group.Rank == 0;

    /// <summary>Whether <paramref name="value"/> holds on any rank (itself in a single process): a decision every rank takes alike.</summary>
    internal bool OnAnyRank(bool value) => dataParallel is null ? value : dataParallel.Group.AnyOf(value ? 1 : 0) != 0;

    /// <summary>After rank 0 wrote a file (a checkpoint): the other ranks wait for it here (nothing in a single process).</summary>
    internal void AwaitRankZero() => dataParallel?.Group.Barrier();

    // Data-parallel ranks stop together: a terminate request (early stopping, TerminateOnNan, a
    // handler) or a cancellation seen by any rank is every rank's, one small all-reduce at each
    // epoch and iteration start, so no rank waits in a collective for one that has stopped.
    void AgreeOnStopping()
    {
        if (dataParallel is null)
            return;
        var flags = dataParallel.Group.AnyOf((TerminateRequested ? 1 : 0) | (Cancellation.IsCancellationRequested ? 2 : 0));
        TerminateRequested |= (flags & 1) != 0;
        cancellationAgreed = (flags & 2) != 0;
    }

    /// <summary>
    /// Begins the next epoch; false when the run is over (epochs, steps, a terminate request, or an
    /// interruption). After <see cref="Resume"/> from a mid-epoch checkpoint, the first call
    /// re-enters the saved epoch (<see cref="EpochResumed"/>) instead of counting a new one.
    /// </summary>
    public bool StartEpoch()
    {
        dataParallel?.EpochStarting();
        AgreeOnStopping();
        if (resumePending)
        {
            resumePending = false;
            if (TerminateRequested)
                return false;
            if (CancellationRequested)
                return Interrupt();
            EpochResumed = true;
            return true;
        }
        EpochResumed = false;
        if (TerminateRequested || Epoch >= MaxEpochs || MaxStepsReached)
            return false;
        if (CancellationRequested)
        {
            // Between epochs: the previous one is complete (its EpochCompleted ran), so the run stands at a boundary.
            EpochIteration = 0;
            return Interrupt();
        }
        Epoch++;
        EpochIteration = 0;
        accumulated = 0;
        return true;
    }

    /// <summary>Marks the run interrupted (the generated loop calls it when a validation pass is cancelled); always false, for <c>return Interrupt();</c>.</summary>
    public bool Interrupt()
    {
        Interrupted = true;
        return false;
    }

    /// <summary>
    /// Continues from a checkpoint's counters (call once, before the first <see cref="StartEpoch"/>,
    /// after the checkpoint was restored into the pipeline's members): at an epoch boundary the
    /// next epoch is <c>counters.Epoch + 1</c>; mid-epoch, epoch <c>counters.Epoch</c> continues
    /// after its <c>counters.EpochIteration</c> training iterations.
    /// </summary>
    /// <exception cref="ArgumentException">When the counters do not fit this run (more iterations in the epoch than it has batches, negative values).</exception>
    /// <exception cref="InvalidOperationException">When the run has already started.</exception>
    internal void Resume(CheckpointCounters counters)
    {
        if (Epoch != 0 || Iteration != 0 || ResumedFrom is not null)
            throw new InvalidOperationException("Resume applies to a run that has not started.");
        CheckResume(counters);
        Epoch = counters.Epoch;
        Iteration = counters.Iteration;
        EpochIteration = counters.EpochIteration;
        OptimizerSteps = counters.OptimizerSteps;
        accumulated = 0;
        lastCheckpointIteration = counters.Iteration;
        resumePending = counters.IsMidEpoch;
        ResumedFrom = counters;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="counters"/> cannot continue in this run (see <see cref="Resume"/>).</summary>
    internal void CheckResume(CheckpointCounters counters)
    {
        if (counters.Epoch < 0 || counters.Iteration < 0 || counters.EpochIteration < 0 || counters.OptimizerSteps < 0)
            throw new ArgumentException($"Negative counters: {counters}.", nameof(counters));
        if (counters.IsMidEpoch && counters.Epoch == 0)
            throw new ArgumentException($"A mid-epoch checkpoint must name its epoch: {counters}.", nameof(counters));
        if (counters.Epoch > MaxEpochs)
            throw new ArgumentException(
                $"The checkpoint stands {(counters.IsMidEpoch ? "in" : "after")} epoch {counters.Epoch}, past this run's MaxEpochs {MaxEpochs}: resume with MaxEpochs of at least {counters.Epoch} (equal to finish nothing more, larger to train on).",
                nameof(counters));
        if (counters.EpochIteration > TrainBatchesPerEpoch)
            throw new ArgumentException(
                $"The checkpoint stands after iteration {counters.EpochIteration} of epoch {counters.Epoch}, but this run has {TrainBatchesPerEpoch} training batches per epoch: resume with the same data and limits.",
                nameof(counters));
    }

    /// <summary>
    /// Whether a periodic mid-epoch checkpoint is due now (<see cref="CheckpointOptions.EveryIterations"/>):
    /// enough iterations since the last one, right after an optimizer step (gradients are not
    /// saved), and not on the epoch's last batch (the epoch-end checkpoint follows).
    /// </summary>
    public bool CheckpointDue => checkpointEvery > 0 && accumulated == 0 && Iteration - lastCheckpointIteration >= checkpointEvery
        && EpochIteration < TrainBatchesPerEpoch && !TerminateRequested;

    /// <summary>Records that a checkpoint was written to <paramref name="path"/> (for <see cref="CheckpointDue"/> and the result).</summary>
    internal void CheckpointWritten(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        LastCheckpoint = path;
        lastCheckpointIteration = Iteration;
    }

    /// <summary>
    /// Begins the next training iteration of the epoch; false when the epoch is over, or when
    /// <see cref="Cancellation"/> interrupts it (checked after at least one iteration of the epoch,
    /// and only outside an accumulation window, so that a checkpoint written now resumes exactly).
    /// </summary>
    public bool StartIteration()
    {
        loss = null;
        AgreeOnStopping();
        if (TerminateRequested)
        {
            EpochTerminated = true;
            return false;
        }
        if (EpochIteration >= TrainBatchesPerEpoch || MaxStepsReached)
            return false;
        if (accumulated == 0 && EpochIteration > 0 && CancellationRequested)
            return Interrupt();
        Iteration++;
        EpochIteration++;
        profiler?.StartIteration();
        return true;
    }

    /// <summary>
    /// Enters the autocast region of <see cref="FitOptions.Precision"/> for the device type of
    /// <see cref="FitOptions.Device"/> (the CPU when unset): the generated loop wraps the training
    /// and validation step calls in it (backward and the optimizer step stay outside). For
    /// <c>32-true</c> the region is empty. Allocates nothing.
    /// </summary>
    public AutocastRegion EnterAutocast() => autocast.Enter();

    /// <summary>The run's precision and the device type of its autocast, for the validation passes <c>Fit</c> runs.</summary>
    public AutocastSetting Autocast => autocast;

    /// <summary>
    /// The run's loss scaler: under <c>16-mixed</c> the one the engine scales, unscales, steps and
    /// updates through (and checkpoints); otherwise a disabled pass-through, so that a
    /// manual-optimization step written against it runs in every precision.
    /// </summary>
    public GradScaler GradScaler => scaler ?? (passThroughScaler ??= new GradScaler(enabled: false));

    /// <summary>The loss scaler of a <c>16-mixed</c> run, which checkpoints hold; null in the other precisions.</summary>
    internal GradScaler? LossScaler => scaler;

    /// <summary>Whether this iteration opens an accumulation window, so the optimizers clear their gradients first.</summary>
    public bool ZeroGradDue => accumulated == 0;

    /// <summary>
    /// Records the iteration's loss and back-propagates it, scaled by 1 / <see cref="AccumulateGradBatches"/>
    /// when accumulating. The scale enters as backward's output gradient (a tensor kept for the run)
    /// rather than as <c>loss / n</c>, which would create a tensor, and a managed object, per iteration.
    /// Under <c>16-mixed</c> the loss is multiplied by the loss scaler's scale first (handlers still
    /// see the unscaled loss).
    /// </summary>
    public void Backward(Tensor loss)
    {
        ReportLoss(loss);
        var target = scaler is null ? loss : scaler.Scale(loss);
        if (AccumulateGradBatches == 1)
            target.backward();
        else
            torch.autograd.backward(target, AccumulationScale(target));
    }

    /// <summary>
    /// Under <c>16-mixed</c>, divides <paramref name="optimizer"/>'s gradients by the loss scale in
    /// place (the generated loop calls it before clipping, so that clipping sees the true gradients);
    /// nothing in the other precisions.
    /// </summary>
    public void Unscale(optim.Optimizer optimizer) => scaler?.Unscale(optimizer);

    /// <summary>
    /// Throws when the run scales its loss (<c>16-mixed</c>): the generated <c>Fit</c> calls it at its
    /// start for each [Optimizer] that is not a TorchSharp optimizer, whose gradients the scaler cannot
    /// unscale and whose steps it cannot skip.
    /// </summary>
    /// <param name="reason">Which optimizer, and why.</param>
    /// <exception cref="ArgumentException">Under <c>16-mixed</c>; the parameter is <c>Precision</c>.</exception>
    public void RefuseLossScaling(string reason)
    {
        if (scaler is not null)
            throw new ArgumentException($"Precision 16-mixed steps the optimizers through a loss scaler, but {reason}: use bf16-mixed or 32-true.", nameof(FitOptions.Precision));
    }

    /// <summary>
    /// Steps <paramref name="optimizer"/>; under <c>16-mixed</c> through the loss scaler, which skips
    /// the step when a gradient is inf or NaN (the step still counts in <see cref="OptimizerSteps"/>,
    /// and schedulers tick, as in Lightning).
    /// </summary>
    public void Step(optim.Optimizer optimizer)
    {
        if (scaler is null)
            optimizer.step();
        else
            scaler.Step(optimizer);
    }

    /// <summary>
    /// Records the iteration's loss without back-propagating it, for handlers and progress bars
    /// (a manual-optimization step, or a driver that runs its own backward).
    /// </summary>
    internal void ReportLoss(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        this.loss = loss;
    }

    Tensor AccumulationScale(Tensor loss)
    {
        if (accumulationScale is { } cached && cached.dtype == loss.dtype && Devices.Same(cached, loss)
            && cached.ndim == loss.ndim && cached.numel() == loss.numel())
            return cached;
        accumulationScale?.Dispose();
        // Outside the iteration's dispose scope: it lives until the run is disposed.
        using var scope = torch.NewDisposeScope();
        accumulationScale = scope.Detach(torch.full_like(loss, 1.0 / AccumulateGradBatches));
        return accumulationScale;
    }

    /// <summary>
    /// Frees the run's own tensors (the accumulation scale); the generated <c>Fit</c> disposes its run.
    /// In a data-parallel run of several ranks, a run disposed while an exception leaves Fit aborts
    /// the job with a line naming the rank, so that no other rank hangs.
    /// </summary>
    public void Dispose()
    {
        accumulationScale?.Dispose();
        accumulationScale = null;
        scaler?.Dispose();
        passThroughScaler?.Dispose();
        dataParallel?.Dispose();
    }

    /// <summary>
    /// At the optimizer-step boundary, before clipping and the optimizer steps: with
    /// <see cref="TrainingStrategy.Ddp"/>, averages the accumulation window's gradients over the
    /// ranks (one in-place all-reduce per gradient bucket); nothing in a single process. The
    /// generated loop calls it under automatic optimization, a manual step through
    /// <see cref="PipelineState.ReduceGradients"/>.
    /// </summary>
    public void ReduceGradients() => dataParallel?.ReduceGradients();

    /// <summary>Called as Fit returns (by <see cref="FitResult{TMetrics, THyperparameters}"/>): a run disposed without it is leaving Fit by an exception.</summary>
    internal void Returned() => dataParallel?.Returned();

    /// <summary>The data-parallel ranks this run trains on, or null in a single process.</summary>
    internal ProcessGroup? ProcessGroup => dataParallel?.Group;

    /// <summary>The models whose weights the data-parallel strategy broadcasts and whose gradients it averages (registered with the checkpoint contents).</summary>
    internal void AttachModels(IEnumerable<nn.Module> models) => dataParallel?.Attach(models);

    /// <summary>Counts a back-propagated batch; true when the optimizers should step now (a full window, or the epoch's last batch).</summary>
    public bool CompleteBackward()
    {
        accumulated++;
        return accumulated >= AccumulateGradBatches || EpochIteration >= TrainBatchesPerEpoch;
    }

    /// <summary>Counts an optimizer step and closes the accumulation window; under <c>16-mixed</c> the loss scale backs off or grows.</summary>
    public void CompleteOptimizerStep()
    {
        scaler?.Update();
        OptimizerSteps++;
        accumulated = 0;
    }

    /// <summary>
    /// Counts a manual-optimization iteration as one optimizer step: the engine cannot see the
    /// <c>step()</c> calls the training step makes, so <see cref="OptimizerSteps"/> (and
    /// <see cref="FitOptions.MaxSteps"/>) count training iterations under manual optimization.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// When the run uses automatic optimization; under <see cref="TrainingStrategy.Ddp"/>, when an
    /// epoch's worth of manual steps passed without <see cref="PipelineState.ReduceGradients"/> (each rank
    /// would step on its own gradients and the ranks' weights drift apart silently).
    /// </exception>
    public void CompleteManualStep()
    {
        if (!ManualOptimization)
            throw new InvalidOperationException("CompleteManualStep is for runs with manual optimization; automatic runs count steps in CompleteOptimizerStep.");
        OptimizerSteps++;
        if (dataParallel is not null && ++manualStepsUnreduced >= TrainBatchesPerEpoch)
            throw new InvalidOperationException(
                $"Strategy Ddp: {manualStepsUnreduced} manual-optimization steps (an epoch) passed without state.ReduceGradients(), so each rank stepped on its own gradients and the ranks' weights drift apart: "
                + "call state.ReduceGradients() in the [TrainingStep] after backward, before unscaling, clipping and the optimizer steps (docs/distributed.md).");
    }

    /// <summary>A manual step averaged its gradients over the ranks (<see cref="PipelineState.ReduceGradients"/>).</summary>
    internal void ReduceManualGradients()
    {
        manualStepsUnreduced = 0;
        dataParallel?.ReduceGradients();
    }

    /// <summary>Whether the epoch that just trained is followed by validation.</summary>
    public bool ValidationDue => ValidationBatches > 0 && !EpochTerminated && Epoch % validateEvery == 0;

    /// <summary>
    /// Starts timing at a boundary whose preceding time belongs to no profiled phase (before a
    /// validation pass); a null check when <see cref="FitOptions.Profiler"/> is off.
    /// </summary>
    public void StartPhase() => profiler?.Start();

    /// <summary>
    /// Counts the time since the previous phase boundary (or the start of the iteration) for
    /// <paramref name="phase"/>; a null check when <see cref="FitOptions.Profiler"/> is off.
    /// </summary>
    public void EndPhase(ProfiledPhase phase) => profiler?.End(phase);

    /// <summary>
    /// The profile of the run when <see cref="FitOptions.Profiler"/> is on (null otherwise): taken when
    /// first asked for, at the end of <c>Fit</c> (the result asks), and then written to <see cref="Output"/>.
    /// </summary>
    internal StepProfile? CompleteProfile()
    {
        if (profiler is null || profile is not null)
            return profile;
        profile = profiler.Result(Elapsed);
        Output.WriteLine(profile.ToString());
        return profile;
    }

    /// <summary>Records the exception ending the run, for ExceptionRaised handlers.</summary>
    public void Fail(Exception exception) => Exception = exception ?? throw new ArgumentNullException(nameof(exception));
}
