using Pipelines.Checkpoints;

namespace Pipelines;

/// <summary>
/// The checkpoints of one <c>Fit</c> run: the generated code fills <see cref="Contents"/> once
/// (one line per [Model], [Optimizer], training [Metric] and [Checkpointed] member), then calls
/// <see cref="Resume"/> before training (<see cref="FitOptions.ResumeFrom"/>) and <see cref="Save"/>
/// at epoch ends, every n iterations and on interruption (<see cref="FitOptions.Checkpoints"/>).
/// Handlers reach it as <see cref="PipelineState.Checkpoints"/> to keep best-k checkpoints of the
/// same contents (<see cref="SaveBest"/>).
/// </summary>
public sealed class PipelineCheckpoints
{
    /// <summary>The name of the training source's state in a checkpoint (not a C# identifier, so no member can take it).</summary>
    public const string TrainDataName = "train-data";

    /// <summary>The name of the validation source's state in a checkpoint.</summary>
    public const string ValidationDataName = "validation-data";

    readonly PipelineRun run;
    readonly CheckpointOptions? options;
    readonly string? resumeFrom;

    PipelineCheckpoints(PipelineRun run, CheckpointContents contents, CheckpointOptions? options, string? resumeFrom)
    {
        this.run = run;
        Contents = contents;
        this.options = options;
        this.resumeFrom = resumeFrom;
        run.Checkpoints = this;
    }

    /// <summary>
    /// The checkpoints of <paramref name="run"/>, or null when <paramref name="options"/> neither
    /// writes nor resumes checkpoints. Registers the data sources (when they implement
    /// <see cref="ICheckpointState"/>, as <see cref="Data.BatchLoader"/> and
    /// <see cref="ResumableBatchSource{TBatch}"/> do) and the run's hyperparameters.
    /// </summary>
    /// <param name="options">The run's options.</param>
    /// <param name="run">The run, whose counters every checkpoint records.</param>
    /// <param name="contents">The pipeline's members, filled by the generated code.</param>
    /// <param name="train">The training source: it must implement <see cref="ICheckpointState"/>, or a resumed run could not replay its order.</param>
    /// <param name="validation">The validation source, registered when it implements <see cref="ICheckpointState"/>.</param>
    /// <exception cref="ArgumentException">When checkpoints are asked for but the training source cannot save its position.</exception>
    public static PipelineCheckpoints? Create(FitOptions options, PipelineRun run, CheckpointContents contents, object train, object? validation)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(contents);
        ArgumentNullException.ThrowIfNull(train);
        if (options.Checkpoints is null && options.ResumeFrom is null)
            return null;
        if (train is not ICheckpointState trainState)
            throw new ArgumentException(
                $"Checkpoints need the training source's position, but {train.GetType().Name} does not implement ICheckpointState: "
                + "use a BatchLoader, or wrap a seeded source in ResumableBatchSource<T> before the first pass.", nameof(train));
        contents.States.Add(TrainDataName, trainState);
        if (validation is ICheckpointState validationState && !ReferenceEquals(validation, train))
            contents.States.Add(ValidationDataName, validationState);
        if (run.Hyperparameters is { } hyperparameters)
            contents.Hyperparameters.SetAll(hyperparameters);
        return new PipelineCheckpoints(run, contents, options.Checkpoints, options.ResumeFrom);
    }

    /// <summary>What every checkpoint of the run holds (the counters are set at each save).</summary>
    public CheckpointContents Contents { get; }

    /// <summary>Where the run writes its checkpoints, or null when it only resumes.</summary>
    public CheckpointOptions? Options => options;

    /// <summary>The hyperparameters that differ between the checkpoint resumed from and this run (empty without a resume).</summary>
    public IReadOnlyList<string> HyperparameterChanges { get; private set; } = [];

    /// <summary>
    /// Restores <see cref="FitOptions.ResumeFrom"/> into <see cref="Contents"/> and continues the
    /// run from its counters (<see cref="PipelineRun.Resume"/>); nothing happens without it. The
    /// checkpoint is checked entirely (file, checksums, counters, every key, shape and dtype)
    /// before anything is loaded. When the run writes checkpoints into a directory that has no
    /// <see cref="CheckpointOptions.LastFileName"/> yet (a resume into another run directory), the
    /// restored state is written there at once, so that the new directory can be resumed from
    /// even if the run trains no further (a finished run resumed with the same MaxEpochs).
    /// </summary>
    /// <exception cref="CheckpointException">When the file is unreadable or does not fit the pipeline; nothing was loaded.</exception>
    public void Resume()
    {
        if (resumeFrom is null)
            return;
        using var checkpoint = Checkpoint.Load(resumeFrom);
        try
        {
            run.CheckResume(checkpoint.Counters);
        }
        catch (ArgumentException e)
        {
            throw new CheckpointException(checkpoint.FilePath, "counters", e.Message);
        }
        checkpoint.Restore(Contents);
        run.Resume(checkpoint.Counters);
        HyperparameterChanges = checkpoint.Hyperparameters.Differences(Contents.Hyperparameters);
        if (options is not null && !File.Exists(options.LastPath))
            Save(epochCompleted: !checkpoint.Counters.IsMidEpoch);
    }

    /// <summary>
    /// Writes <see cref="CheckpointOptions.LastFileName"/> (atomically) when <see cref="FitOptions.Checkpoints"/>
    /// is set; returns its path, or null when the run writes no checkpoints.
    /// </summary>
    /// <param name="epochCompleted">True at an epoch end (after EpochCompleted); false mid-epoch or on interruption.</param>
    public string? Save(bool epochCompleted)
    {
        if (options is null)
            return null;
        System.IO.Directory.CreateDirectory(options.Directory);
        var path = options.LastPath;
        Contents.Counters = CheckpointCounters.Of(run, epochCompleted);
        Checkpoint.Save(path, Contents);
        run.CheckpointWritten(path);
        return path;
    }

    /// <summary>The epoch-end checkpoint (after the EpochCompleted handlers), when <see cref="CheckpointOptions.AtEpochEnd"/>.</summary>
    public void EpochCompleted()
    {
        if (options is { AtEpochEnd: true })
            Save(epochCompleted: true);
    }

    /// <summary>The checkpoint of an interrupted run, when <see cref="CheckpointOptions.OnInterrupt"/>: it resumes where the run stopped.</summary>
    public void Interrupted()
    {
        if (options is { OnInterrupt: true })
            Save(epochCompleted: false);
    }

    /// <summary>
    /// Offers the current contents to <paramref name="keeper"/> as the checkpoint of the epoch that
    /// just completed (call it from an EpochCompleted handler with a typed score, e.g.
    /// <c>state.Checkpoints?.SaveBest(best, accuracy.Compute())</c>): a best file when the score
    /// ranks in its top k, and its last file. Register the keeper itself with <c>[Checkpointed]</c>
    /// so that its list survives a resume.
    /// </summary>
    /// <returns>The best checkpoint written, or null when the score did not rank.</returns>
    public SavedCheckpoint? SaveBest(BestCheckpoints keeper, double score)
    {
        ArgumentNullException.ThrowIfNull(keeper);
        Contents.Counters = CheckpointCounters.Of(run, epochCompleted: true);
        return keeper.Save(Contents, run.Epoch, score);
    }
}
