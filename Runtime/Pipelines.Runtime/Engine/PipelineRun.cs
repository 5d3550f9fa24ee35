using System.Diagnostics;
using Pipelines.Torch;

namespace Pipelines;

/// <summary>
/// The counters and flags of one run, advanced by the generated loop (handlers see them
/// read-only through <see cref="PipelineState"/>). Every member is a few integer operations so
/// that the loop stays allocation-free; the rules (limits, accumulation, termination) live here,
/// in one tested place, rather than in every generated file.
/// </summary>
public sealed class PipelineRun : IDisposable
{
    readonly long startTimestamp = Stopwatch.GetTimestamp();
    readonly int? maxSteps;
    readonly int validateEvery;
    int accumulated;
    Tensor? loss;
    Tensor? accumulationScale;

    /// <summary>Starts a run over a training source of <paramref name="trainBatches"/> batches and a validation source of <paramref name="validationBatches"/>.</summary>
    /// <param name="options">The options, validated here.</param>
    /// <param name="trainBatches">Batches in one pass of the training source.</param>
    /// <param name="validationBatches">Batches in one pass of the validation source (0: none).</param>
    /// <param name="manualOptimization">
    /// The training step runs backward and its optimizers itself: each iteration then counts as one
    /// optimizer step (<see cref="CompleteManualStep"/>), and the options that belong to automatic
    /// optimization (accumulation, clipping) are rejected rather than silently ignored.
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

    /// <summary>Whether the training step steps its optimizers itself (see the constructor).</summary>
    public bool ManualOptimization { get; }

    /// <summary>The [Hyperparameter] values of the pipeline, captured when the run started (null when the run was created without them).</summary>
    public IHyperparameters? Hyperparameters { get; init; }

    /// <summary>The current epoch, 1-based (0 before the first).</summary>
    public int Epoch { get; private set; }

    /// <summary>The global training iteration, 1-based (0 before the first).</summary>
    public int Iteration { get; private set; }

    /// <summary>The training iteration within the current epoch, 1-based.</summary>
    public int EpochIteration { get; private set; }

    /// <summary>The number of optimizer steps taken (fewer than iterations under gradient accumulation).</summary>
    public int OptimizerSteps { get; private set; }

    /// <summary>The number of epochs the run will start at most.</summary>
    public int MaxEpochs { get; }

    /// <summary>Training batches per epoch, after <see cref="FitOptions.LimitTrainBatches"/> and <see cref="FitOptions.FastDevRun"/>.</summary>
    public int TrainBatchesPerEpoch { get; }

    /// <summary>Batches per validation pass, after the limits.</summary>
    public int ValidationBatches { get; }

    /// <summary>Batches back-propagated per optimizer step.</summary>
    public int AccumulateGradBatches { get; }

    /// <summary>Whether a handler asked the run to stop.</summary>
    public bool TerminateRequested { get; private set; }

    /// <summary>Whether the terminate request arrived during the current epoch's training iterations (its validation and EpochCompleted are then skipped).</summary>
    public bool EpochTerminated { get; private set; }

    /// <summary>The exception that is ending the run, while ExceptionRaised handlers run.</summary>
    public Exception? Exception { get; private set; }

    /// <summary>The wall-clock time since the run started.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(startTimestamp);

    /// <summary>The loss of the iteration in progress (still on the device), or null outside one.</summary>
    public Tensor? Loss => loss is { IsInvalid: false } ? loss : null;

    bool MaxStepsReached => maxSteps is { } max && OptimizerSteps >= max;

    /// <summary>Asks the run to stop once the iteration in progress has completed.</summary>
    public void Terminate() => TerminateRequested = true;

    /// <summary>Begins the next epoch; false when the run is over (epochs, steps or a terminate request).</summary>
    public bool StartEpoch()
    {
        if (TerminateRequested || Epoch >= MaxEpochs || MaxStepsReached)
            return false;
        Epoch++;
        EpochIteration = 0;
        accumulated = 0;
        return true;
    }

    /// <summary>Begins the next training iteration of the epoch; false when the epoch is over.</summary>
    public bool StartIteration()
    {
        loss = null;
        if (TerminateRequested)
        {
            EpochTerminated = true;
            return false;
        }
        if (EpochIteration >= TrainBatchesPerEpoch || MaxStepsReached)
            return false;
        Iteration++;
        EpochIteration++;
        return true;
    }

    /// <summary>Whether this iteration opens an accumulation window, so the optimizers clear their gradients first.</summary>
    public bool ZeroGradDue => accumulated == 0;

    /// <summary>
    /// Records the iteration's loss and back-propagates it, scaled by 1 / <see cref="AccumulateGradBatches"/>
    /// when accumulating. The scale enters as backward's output gradient (a tensor kept for the run)
    /// rather than as <c>loss / n</c>, which would create a tensor, and a managed object, per iteration.
    /// </summary>
    public void Backward(Tensor loss)
    {
        ReportLoss(loss);
        if (AccumulateGradBatches == 1)
            loss.backward();
        else
            loss.backward(AccumulationScale(loss));
    }

    /// <summary>
    /// Records the iteration's loss without back-propagating it, for handlers and progress bars
    /// (a manual-optimization step, or a driver that runs its own backward).
    /// </summary>
    public void ReportLoss(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        this.loss = loss;
    }

    Tensor AccumulationScale(Tensor loss)
    {
        if (accumulationScale is { } cached && cached.dtype == loss.dtype && cached.device == loss.device
            && cached.ndim == loss.ndim && cached.numel() == loss.numel())
            return cached;
        accumulationScale?.Dispose();
        // Outside the iteration's dispose scope: it lives until the run is disposed.
        using var scope = torch.NewDisposeScope();
        accumulationScale = scope.Detach(torch.full_like(loss, 1.0 / AccumulateGradBatches));
        return accumulationScale;
    }

    /// <summary>Frees the run's own tensors (the accumulation scale); the generated <c>Fit</c> disposes its run.</summary>
    public void Dispose()
    {
        accumulationScale?.Dispose();
        accumulationScale = null;
    }

    /// <summary>Counts a back-propagated batch; true when the optimizers should step now (a full window, or the epoch's last batch).</summary>
    public bool CompleteBackward()
    {
        accumulated++;
        return accumulated >= AccumulateGradBatches || EpochIteration >= TrainBatchesPerEpoch;
    }

    /// <summary>Counts an optimizer step and closes the accumulation window.</summary>
    public void CompleteOptimizerStep()
    {
        OptimizerSteps++;
        accumulated = 0;
    }

    /// <summary>
    /// Counts a manual-optimization iteration as one optimizer step: the engine cannot see the
    /// <c>step()</c> calls the training step makes, so <see cref="OptimizerSteps"/> (and
    /// <see cref="FitOptions.MaxSteps"/>) count training iterations under manual optimization.
    /// </summary>
    /// <exception cref="InvalidOperationException">When the run uses automatic optimization.</exception>
    public void CompleteManualStep()
    {
        if (!ManualOptimization)
            throw new InvalidOperationException("CompleteManualStep is for runs with manual optimization; automatic runs count steps in CompleteOptimizerStep.");
        OptimizerSteps++;
    }

    /// <summary>Whether the epoch that just trained is followed by validation.</summary>
    public bool ValidationDue => ValidationBatches > 0 && !EpochTerminated && Epoch % validateEvery == 0;

    /// <summary>Records the exception ending the run, for ExceptionRaised handlers.</summary>
    public void Fail(Exception exception) => Exception = exception ?? throw new ArgumentNullException(nameof(exception));
}
