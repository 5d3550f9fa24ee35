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
    /// and not a hyperparameter: <see cref="PrecisionMode.Float32"/> (<c>32-true</c>, the default), or
    /// <see cref="PrecisionMode.BFloat16Mixed"/> (<c>bf16-mixed</c>), which runs the training step's
    /// forward pass and loss, and the validation step, under bfloat16 <see cref="Autocast"/> for the
    /// device type of <see cref="Device"/> (the CPU when unset); backward and the optimizer step run
    /// outside it, on float32 parameters. <c>16-mixed</c> is refused until Pipelines has a loss scaler.
    /// </summary>
    public PrecisionMode Precision { get; init; } = PrecisionMode.Float32;

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

    /// <summary>Where callbacks (progress bar, table, summary, early stopping) write their lines; the console when null.</summary>
    public TextWriter? Output { get; init; }

    /// <summary>When set, where and when <c>Fit</c> writes resumable checkpoints (epoch ends, every n iterations, on interruption).</summary>
    public CheckpointOptions? Checkpoints { get; init; }

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
        if (Precision == PrecisionMode.Float16Mixed)
            throw new ArgumentException(
                "Precision 16-mixed needs a loss scaler against float16 gradient underflow, which Pipelines does not have yet: use bf16-mixed or 32-true.",
                nameof(Precision));
        Checkpoints?.Validate();
    }
}
