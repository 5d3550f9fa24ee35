using Pipelines.Core;
using Pipelines.Data;
using Pipelines.Metrics;
using static TorchSharp.torch;

namespace Pipelines;

/// <summary>
/// What an event handler sees of the run (<c>void Handler(in PipelineState state)</c>): counters,
/// elapsed time, the loss, and <see cref="Terminate"/>. A read-only view over the engine's
/// <see cref="PipelineRun"/>, passed by reference, so a handler call copies nothing.
/// </summary>
public readonly struct PipelineState
{
    readonly PipelineRun? run;

    /// <summary>A view over <paramref name="run"/>.</summary>
    public PipelineState(PipelineRun run) => this.run = run ?? throw new ArgumentNullException(nameof(run));

    PipelineRun Run => run ?? throw new InvalidOperationException("This PipelineState was not created by a pipeline run.");

    /// <summary>The current epoch, 1-based (0 in Started handlers).</summary>
    public int Epoch => Run.Epoch;

    /// <summary>The global training iteration, 1-based.</summary>
    public int Iteration => Run.Iteration;

    /// <summary>The training iteration within the current epoch, 1-based.</summary>
    public int EpochIteration => Run.EpochIteration;

    /// <summary>The number of optimizer steps taken so far (under manual optimization, the number of training iterations completed).</summary>
    public int OptimizerSteps => Run.OptimizerSteps;

    /// <summary>The number of epochs the run will start at most.</summary>
    public int MaxEpochs => Run.MaxEpochs;

    /// <summary>The number of optimizer steps the run takes unless stopped early (<see cref="PipelineRun.EstimatedOptimizerSteps"/>).</summary>
    public int EstimatedOptimizerSteps => Run.EstimatedOptimizerSteps;

    /// <summary>Training batches per epoch, after the limits.</summary>
    public int TrainBatchesPerEpoch => Run.TrainBatchesPerEpoch;

    /// <summary>The latest value of every metric, by the keys of the pipeline's generated <c>Metrics</c> record.</summary>
    public MetricValues Metrics => Run.Metrics;

    /// <summary>Where callbacks write their lines (<see cref="FitOptions.Output"/>).</summary>
    public TextWriter Output => Run.Output;

    /// <summary>
    /// Whether this process speaks (Lightning's <c>trainer.is_global_zero</c>): the only process, or
    /// rank 0 of a data-parallel run. Handlers that write files or print guard on it; the other
    /// ranks' <see cref="Output"/> already discards what is written to it.
    /// </summary>
    public bool IsGlobalZero => Run.Speaks;

    /// <summary>The run's directory for logs and checkpoints (<see cref="FitOptions.RunDirectory"/>), or null.</summary>
    public string? RunDirectory => Run.RunDirectory;

    /// <summary>The pipeline's TorchSharp optimizers by member name.</summary>
    public IReadOnlyList<KeyValuePair<string, optim.Optimizer>> Optimizers => Run.Optimizers;

    /// <summary>The training source's data-wait meter, or null when it has none.</summary>
    public IDataWaitMeter? DataWait => Run.DataWait;

    /// <summary>The pipeline's [Hyperparameter] values captured when the run started (for loggers and checkpoints), or null.</summary>
    public IHyperparameters? Hyperparameters => Run.Hyperparameters;

    /// <summary>The wall-clock time since the run started.</summary>
    public TimeSpan Elapsed => Run.Elapsed;

    /// <summary>The exception ending the run (in ExceptionRaised handlers), otherwise null.</summary>
    public Exception? Exception => Run.Exception;

    /// <summary>The current iteration's loss tensor, still on the device (no host sync); null outside BackwardCompleted and IterationCompleted.</summary>
    public Tensor? LossTensor => Run.Loss;

    /// <summary>
    /// The current iteration's loss as a number. Reading it copies the value to the host (a device
    /// sync), which is why the engine never reads it itself. Available in BackwardCompleted and
    /// IterationCompleted handlers; elsewhere it throws, since the iteration's tensors are gone.
    /// </summary>
    public double Loss => HostRead.ToDouble(Run.Loss ?? throw new InvalidOperationException(
        "The loss exists only during a training iteration: read it in BackwardCompleted or IterationCompleted handlers (or average it with a metric)."));

    /// <summary>Whether the run continues a checkpoint (<see cref="FitOptions.ResumeFrom"/>): loggers then continue their files.</summary>
    public bool Resumed => Run.ResumedFrom is not null;

    /// <summary>Whether the current epoch continues a mid-epoch checkpoint (an EpochStarted handler sees it; <see cref="EpochIteration"/> then counts the iterations already done).</summary>
    public bool EpochResumed => Run.EpochResumed;

    /// <summary>
    /// The run's loss scaler, for a manual-optimization step: under <see cref="FitOptions.Precision"/>
    /// <c>16-mixed</c> the checkpointed scaler of the run, otherwise a disabled pass-through, so one
    /// step runs in every precision: <c>state.GradScaler.Scale(loss).backward()</c>, then
    /// <see cref="ReduceGradients"/> (for <see cref="TrainingStrategy.Ddp"/>), <c>Unscale(optimizer)</c>
    /// before clipping, <c>Step(optimizer)</c> for each optimizer and one <c>Update()</c> before the step returns.
    /// </summary>
    public GradScaler GradScaler => Run.GradScaler;

    /// <summary>
    /// For a manual-optimization step under <see cref="FitOptions.Strategy"/> <see cref="TrainingStrategy.Ddp"/>:
    /// averages the gradients accumulated so far over the ranks, in place (one all-reduce per gradient
    /// bucket; what Lightning's <c>manual_backward</c> does under ddp); nothing in a single process or
    /// without the strategy. Every rank calls it at the same point: after backward (at the end of the
    /// step's own accumulation window, if any), before <c>GradScaler.Unscale</c>, clipping and the
    /// optimizer steps, so that every rank unscales, clips and steps the same averaged gradients.
    /// </summary>
    /// <exception cref="InvalidOperationException">Under automatic optimization, where the engine averages the gradients itself.</exception>
    public void ReduceGradients()
    {
        if (!Run.ManualOptimization)
            throw new InvalidOperationException("ReduceGradients is for a [TrainingStep] that returns void: under automatic optimization the engine averages the gradients at each optimizer step.");
        Run.ReduceManualGradients();
    }

    /// <summary>Stops the run once the iteration in progress completes (early stopping); Terminated and Completed handlers still run.</summary>
    public void Terminate() => Run.Terminate();
}
