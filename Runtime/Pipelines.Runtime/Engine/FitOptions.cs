using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines;

/// <summary>
/// How <c>Fit</c> runs, in PyTorch Lightning's spirit. Every limit is a count of batches or
/// epochs; null means "no limit". <see cref="Validate"/> checks the values once, before training.
/// A record, so that <c>with</c> derives one run's options from another's (the command line's
/// <see cref="CommandLine.TrainerSettings"/> binds its options into its defaults that way).
/// </summary>
public sealed record FitOptions
{
    /// <summary>The number of epochs to train (Lightning's <c>max_epochs</c>); at least 1.</summary>
    public int MaxEpochs { get; init; } = 1;

    /// <summary>Stop after this many optimizer steps (Lightning's <c>max_steps</c>), whatever the epoch.</summary>
    public int? MaxSteps { get; init; }

    /// <summary>Validate after every n-th epoch (Lightning's <c>check_val_every_n_epoch</c>).</summary>
    public int ValidateEvery { get; init; } = 1;

    /// <summary>Train on at most this many batches per epoch.</summary>
    public int? LimitTrainBatches { get; init; }

    /// <summary>Validate on at most this many batches.</summary>
    public int? LimitValidationBatches { get; init; }

    /// <summary>A smoke test: one epoch of one training batch and one validation batch.</summary>
    public bool FastDevRun { get; init; }

    /// <summary>Back-propagate this many batches before each optimizer step; the loss is divided by it.</summary>
    public int AccumulateGradBatches { get; init; } = 1;

    /// <summary>
    /// When set, the gradients of the [Model] parameters are scaled before each optimizer step so
    /// that their joint 2-norm is at most this value (Lightning's <c>gradient_clip_val</c> with the
    /// "norm" algorithm, PyTorch's <c>clip_grad_norm_</c>). Automatic optimization only.
    /// </summary>
    public double? GradientClipNorm { get; init; }

    /// <summary>
    /// When set, every gradient of the [Model] parameters is clamped to [-value, value] before each
    /// optimizer step (Lightning's "value" algorithm, PyTorch's <c>clip_grad_value_</c>). Automatic
    /// optimization only; not together with <see cref="GradientClipNorm"/>.
    /// </summary>
    public double? GradientClipValue { get; init; }

    /// <summary>When set, seeds libtorch's CPU and CUDA generators (<see cref="Generated.Seeding.SeedEverything"/>) before training.</summary>
    public long? Seed { get; init; }

    /// <summary>
    /// The training precision by Lightning's name (<c>Trainer(precision=...)</c>), a trainer setting
    /// and not a hyperparameter: <see cref="PrecisionMode.Float32"/> (<c>32-true</c>, the default),
    /// <see cref="PrecisionMode.BFloat16Mixed"/> (<c>bf16-mixed</c>), which runs the training step's
    /// forward pass and loss, and the validation step, under bfloat16 <see cref="Autocast"/> for the
    /// device type of <see cref="Device"/> (the CPU when unset), backward and the optimizer step
    /// outside it on float32 parameters; or <see cref="PrecisionMode.Float16Mixed"/> (<c>16-mixed</c>),
    /// the same in float16 with a <see cref="GradScaler"/> that scales the loss, unscales the gradients
    /// before clipping, skips steps with inf or NaN gradients and is checkpointed.
    /// </summary>
    public PrecisionMode Precision { get; init; } = PrecisionMode.Float32;

    /// <summary>
    /// Lightning's <c>Trainer(profiler=...)</c>: <see cref="ProfilerMode.Simple"/> times each phase of the
    /// training steps (data wait, training step, backward, optimizer step, callbacks) and the
    /// validation passes, prints the table at the end of <c>Fit</c> and returns it in <c>FitResult.Profile</c>.
    /// Off (<see cref="ProfilerMode.None"/>) by default, when each phase mark is a null check.
    /// </summary>
    public ProfilerMode Profiler { get; init; }

    /// <summary>
    /// How the run spreads over processes (Lightning's <c>strategy</c>): <see cref="TrainingStrategy.Ddp"/>
    /// trains on every rank of the MPI launcher (<c>mpiexec.mpich -n N</c>), averaging gradients at each
    /// optimizer step, with rank 0's initial weights; loaders left without a shard take the launcher's
    /// (<see cref="Data.DataShard.Launcher"/>). A manual-optimization step averages its gradients
    /// with <see cref="PipelineState.ReduceGradients"/>. CPU gradients reduce over MPI, CUDA gradients
    /// over NCCL (one GPU per rank, the device given here).
    /// </summary>
    public TrainingStrategy Strategy { get; init; } = TrainingStrategy.SingleProcess;

    /// <summary>
    /// When set, <c>Fit</c> moves every [Model] to this device before a <c>[ConfigureOptimizers]</c>
    /// method builds the optimizers, and gives it to the batch sources that place their own batches
    /// (<see cref="Data.IBatchPlacement"/>) and have no device of their own; null keeps the last placement.
    /// </summary>
    public Device? Device { get; init; }

    /// <summary>
    /// When set, <c>Fit</c> restores this checkpoint before training (models, optimizers, training
    /// metrics, [Checkpointed] members, the data sources' positions, the random generators) and
    /// continues from its counters: at the next epoch after an epoch-end checkpoint, inside the
    /// epoch after a mid-epoch one. On the CPU with the same options the result is bitwise that of
    /// the run that never stopped. <see cref="Seed"/> is applied before the restore, which then
    /// replaces the generators' state.
    /// </summary>
    public string? ResumeFrom { get; init; }

    /// <summary>
    /// The directory of the run's logs and checkpoints (Lightning's <c>default_root_dir</c>):
    /// loggers write there, <see cref="Pipelines.Handlers.BestCheckpoints"/> without a directory of its own
    /// writes to its <c>checkpoints</c> folder, and so do the epoch-end and interruption checkpoints
    /// when <see cref="Checkpoints"/> is not set and the training source can save its position.
    /// Nothing is created before the run starts.
    /// </summary>
    public string? RunDirectory { get; init; }

    /// <summary>Where callbacks (progress bar, table, summary, early stopping) write their lines; the console when null (<see cref="TextWriter.Null"/>: nowhere, and the progress bar draws nothing).</summary>
    public TextWriter? Output { get; init; }

    /// <summary>When set, where and when <c>Fit</c> writes resumable checkpoints (epoch ends, every n iterations, on interruption).</summary>
    public CheckpointOptions? Checkpoints { get; init; }

    /// <summary>
    /// The trainer's callbacks beyond the defaults (Lightning's <c>Trainer(callbacks=[...])</c>): any
    /// type implementing one or more of the per-event interfaces (<c>IStartedHandler</c> ...
    /// <c>IExceptionRaisedHandler</c>), early stopping and best checkpoints monitoring the pipeline's
    /// metric keys (<c>Metrics.Val.Accuracy</c>) included. The generated loop calls them after the
    /// pipeline's own handlers of each event, in this order, with no allocation; one that implements
    /// <c>ICheckpointState</c> is saved in every checkpoint (as <c>callback-&lt;Type&gt;</c>, then
    /// <c>callback-&lt;Type&gt;-2</c> for a second of its type) and restored on resume, so give a resumed
    /// run the same callbacks. A progress bar, metrics table, model summary or logger of the
    /// defaults' types given here replaces that default. The caller owns them (and disposes them).
    /// </summary>
    public IReadOnlyList<ICallback> Callbacks { get; init; } = [];

    /// <summary>Whether the run has the default progress bar (Lightning's <c>enable_progress_bar</c>), unless <see cref="Callbacks"/> holds one.</summary>
    public bool EnableProgressBar { get; init; } = true;

    /// <summary>Whether the run has the default end-of-epoch metrics table of every training and validation metric, unless <see cref="Callbacks"/> holds one.</summary>
    public bool EnableMetricsTable { get; init; } = true;

    /// <summary>Whether the run writes a summary of every [Model] when it starts (Lightning's <c>enable_model_summary</c>), unless <see cref="Callbacks"/> holds one.</summary>
    public bool EnableModelSummary { get; init; } = true;

    /// <summary>
    /// Whether a run with a <see cref="RunDirectory"/> has the default CSV and TensorBoard loggers
    /// (Lightning's <c>logger</c>; false is <c>logger=False</c>), each unless <see cref="Callbacks"/> holds
    /// one of its type: the step loss and the learning rate of every parameter group (Lightning's
    /// <c>LearningRateMonitor</c>) every 50 iterations, the metrics at epoch ends, and hparams.json.
    /// </summary>
    public bool EnableLoggers { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxEpochs, 1, nameof(MaxEpochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(ValidateEvery, 1, nameof(ValidateEvery));
        ArgumentOutOfRangeException.ThrowIfLessThan(AccumulateGradBatches, 1, nameof(AccumulateGradBatches));
        if (MaxSteps is { } steps)
            ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1, nameof(MaxSteps));
        if (LimitTrainBatches is { } train)
            ArgumentOutOfRangeException.ThrowIfLessThan(train, 1, nameof(LimitTrainBatches));
        if (LimitValidationBatches is { } validation)
            ArgumentOutOfRangeException.ThrowIfNegative(validation, nameof(LimitValidationBatches));
        // Written as !(x > 0) so that NaN is rejected too.
        if (GradientClipNorm is { } norm && !(norm > 0))
            throw new ArgumentOutOfRangeException(nameof(GradientClipNorm), norm, "The clipping norm must be positive.");
        if (GradientClipValue is { } value && !(value > 0))
            throw new ArgumentOutOfRangeException(nameof(GradientClipValue), value, "The clipping value must be positive.");
        if (GradientClipNorm is not null && GradientClipValue is not null)
            throw new ArgumentException("Set GradientClipNorm or GradientClipValue, not both: they are two clipping algorithms.", nameof(GradientClipValue));
        if (ResumeFrom is not null)
            ArgumentException.ThrowIfNullOrWhiteSpace(ResumeFrom, nameof(ResumeFrom));
        if (RunDirectory is not null)
            ArgumentException.ThrowIfNullOrWhiteSpace(RunDirectory, nameof(RunDirectory));
        ArgumentNullException.ThrowIfNull(Precision, nameof(Precision));
        if (!Enum.IsDefined(Profiler))
            throw new ArgumentOutOfRangeException(nameof(Profiler), Profiler, "Unknown profiler.");
        if (!Enum.IsDefined(Strategy))
            throw new ArgumentOutOfRangeException(nameof(Strategy), Strategy, "Not a training strategy.");
        if (Strategy == TrainingStrategy.Ddp && Device is { type: not (DeviceType.CPU or DeviceType.CUDA) } ddpDevice)
            throw new ArgumentException($"Strategy Ddp reduces gradients over MPI on the CPU or over NCCL on CUDA devices, not on {ddpDevice.type}.", nameof(Strategy));
        Checkpoints?.Validate();
        ArgumentNullException.ThrowIfNull(Callbacks, nameof(Callbacks));
        for (var i = 0; i < Callbacks.Count; i++)
            if (Callbacks[i] is null)
                throw new ArgumentNullException(nameof(Callbacks), $"Callbacks[{i}] is null.");
    }
}
