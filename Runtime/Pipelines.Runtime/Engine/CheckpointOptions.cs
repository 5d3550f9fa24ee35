namespace Pipelines;

/// <summary>
/// Where and when the generated <c>Fit</c> writes resumable checkpoints
/// (<see cref="FitOptions.Checkpoints"/>). Every checkpoint holds the [Model] and [Optimizer]
/// members, the training [Metric] accumulators, the [Checkpointed] members, the data sources'
/// positions, the random generators, the counters and the hyperparameters; each write is atomic
/// and replaces <see cref="LastFileName"/> in <see cref="Directory"/>.
/// </summary>
public sealed class CheckpointOptions
{
    /// <summary>The directory of the checkpoints (created when missing).</summary>
    public required string Directory { get; init; }

    /// <summary>The file every checkpoint replaces (<c>last.ckpt</c>, the name <see cref="Handlers.BestCheckpoints"/> uses too).</summary>
    public string LastFileName { get; init; } = "last.ckpt";

    /// <summary>
    /// Also write a mid-epoch checkpoint once at least this many training iterations have passed
    /// since the last one (null: only at epoch ends and on interruption). Under gradient
    /// accumulation it waits for the end of the window: gradients are not saved, so a checkpoint
    /// is only written right after an optimizer step.
    /// </summary>
    public int? EveryIterations { get; init; }

    /// <summary>Write a checkpoint at the end of every epoch, after the EpochCompleted handlers (on by default).</summary>
    public bool AtEpochEnd { get; init; } = true;

    /// <summary>Write a checkpoint when the run is interrupted (cancellation, Ctrl-C), so that it can resume (on by default).</summary>
    public bool OnInterrupt { get; init; } = true;

    /// <summary>The path of <see cref="LastFileName"/> in <see cref="Directory"/>.</summary>
    public string LastPath => Path.Combine(Directory, LastFileName);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Directory, nameof(Directory));
        ArgumentException.ThrowIfNullOrWhiteSpace(LastFileName, nameof(LastFileName));
        if (LastFileName.IndexOfAny(['/', '\\']) >= 0)
            throw new ArgumentException("LastFileName is a file name in Directory, not a path.", nameof(LastFileName));
        if (EveryIterations is { } every)
            ArgumentOutOfRangeException.ThrowIfLessThan(every, 1, nameof(EveryIterations));
    }
}
