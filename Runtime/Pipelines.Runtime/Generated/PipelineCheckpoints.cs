using Pipelines.Checkpoints;
using Pipelines.Handlers;
using Pipelines.Schedulers;

namespace Pipelines.Generated;

/// <summary>
/// The checkpoints of one <c>Fit</c> run: the generated code fills <see cref="Contents"/> once
/// (one line per [Model], [Optimizer], training [Metric] and [Checkpointed] member), then calls
/// <see cref="Resume"/> before training (<see cref="FitOptions.ResumeFrom"/>) and <see cref="Save"/>
/// at epoch ends, every n iterations and on interruption (<see cref="FitOptions.Checkpoints"/>).
/// Best-k checkpoints come from the pipeline's <see cref="BestCheckpoints"/> members, which it
/// calls at every epoch end (<see cref="EpochCompleted"/>).
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class PipelineCheckpoints
{
    /// <summary>The name of the training source's state in a checkpoint (not a C# identifier, so no member can take it).</summary>
    public const string TrainDataName = "train-data";

    /// <summary>The name of the validation source's state in a checkpoint.</summary>
    public const string ValidationDataName = "validation-data";

    /// <summary>The name of the loss scaler's state in the checkpoints of a <c>16-mixed</c> run.</summary>
    public const string GradScalerName = "grad-scaler";

    /// <summary>The folder of <see cref="FitOptions.RunDirectory"/> that receives the checkpoints when <see cref="FitOptions.Checkpoints"/> is not set.</summary>
    public const string RunCheckpointFolder = "checkpoints";

    readonly PipelineRun run;
    readonly CheckpointOptions? options;
    readonly string? resumeFrom;
    readonly BestCheckpoints[] keepers;

    PipelineCheckpoints(PipelineRun run, CheckpointContents contents, CheckpointOptions? options, string? resumeFrom, BestCheckpoints[] keepers)
    {
        this.run = run;
        Contents = contents;
        this.options = options;
        this.resumeFrom = resumeFrom;
        this.keepers = keepers;
    }

    /// <summary>
    /// The checkpoints of <paramref name="run"/>, or null when <paramref name="options"/> neither
    /// writes nor resumes checkpoints and the pipeline keeps no best checkpoints. Checkpoints are
    /// written to <see cref="FitOptions.Checkpoints"/>, or to the <c>checkpoints</c> folder of
    /// <see cref="FitOptions.RunDirectory"/> when the training source can save its position or a
    /// keeper needs them; <paramref name="keepers"/> without a directory of their own write there too. Registers the data sources (when they implement
    /// <see cref="ICheckpointState"/>, as <see cref="Data.BatchLoader"/> and
    /// <see cref="Data.ResumableBatchSource{TBatch}"/> do), the loss scaler of a <c>16-mixed</c> run and the run's hyperparameters.
    /// </summary>
    /// <param name="options">The run's options.</param>
    /// <param name="run">The run, whose counters every checkpoint records.</param>
    /// <param name="contents">The pipeline's members, filled by the generated code.</param>
    /// <param name="train">The training source: it must implement <see cref="ICheckpointState"/>, or a resumed run could not replay its order.</param>
    /// <param name="validation">The validation source, registered when it implements <see cref="ICheckpointState"/>.</param>
    /// <param name="keepers">The pipeline's best-checkpoint members: the generated loop lets them write the epoch-end checkpoints.</param>
    /// <exception cref="ArgumentException">When checkpoints are asked for but the training source cannot save its position, or a keeper has no directory.</exception>
    public static PipelineCheckpoints? Create(FitOptions options, PipelineRun run, CheckpointContents contents, object train, object? validation, params BestCheckpoints[] keepers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(contents);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(keepers);
        // The models every checkpoint holds are those a data-parallel run synchronizes over its ranks.
        run.AttachModels(contents.Models.Values);
        // A run directory brings checkpoints when they can resume (the source keeps its position) or a keeper needs them.
        var writes = options.Checkpoints ?? (options.RunDirectory is { } runDirectory && (train is ICheckpointState || keepers.Length > 0)
            ? new CheckpointOptions { Directory = Path.Combine(runDirectory, RunCheckpointFolder) }
            : null);
        foreach (var keeper in keepers)
        {
            // A resume says on the run's output which best files it lists but cannot find, before anything is written.
            keeper.Output = run.Output;
            keeper.WritesFiles = run.Speaks;
            if (writes is not null)
                keeper.UseRunDirectory(writes.Directory);
            else if (!keeper.HasDirectory)
                throw new ArgumentException(
                    $"The best checkpoints by {keeper.Monitor.Name} have no directory: set FitOptions.RunDirectory (or FitOptions.Checkpoints), or pass a directory to the BestCheckpoints constructor.",
                    nameof(keepers));
        }
        if (writes is null && options.ResumeFrom is null && keepers.Length == 0)
            return null;
        if (train is not ICheckpointState trainState)
            throw new ArgumentException(
                $"Checkpoints need the training source's position, but {train.GetType().Name} does not implement ICheckpointState: "
                + "use a BatchLoader, or wrap a seeded source in ResumableBatchSource<T> before the first pass.", nameof(train));
        contents.States.Add(TrainDataName, trainState);
        if (validation is ICheckpointState validationState && !ReferenceEquals(validation, train))
            contents.States.Add(ValidationDataName, validationState);
        // 16-mixed: the loss scale and its growth tracker, so that a resumed run scales and skips as the uninterrupted one
        if (run.LossScaler is { } scaler)
            contents.States.Add(GradScalerName, scaler);
        if (run.Hyperparameters is { } hyperparameters)
            contents.Hyperparameters = hyperparameters.ToValues();
        return new PipelineCheckpoints(run, contents, writes, options.ResumeFrom, keepers);
    }

    /// <summary>What every checkpoint of the run holds (the counters are set at each save).</summary>
    public CheckpointContents Contents { get; }

    /// <summary>Where the run writes its checkpoints (<see cref="FitOptions.Checkpoints"/>, or the defaults in <see cref="FitOptions.RunDirectory"/>), or null when it only resumes.</summary>
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
    /// even if the run trains no further (a finished run resumed with the same MaxEpochs). The
    /// run's output says where the run resumed and which hyperparameters changed.
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
        // A schedule sized by the run takes its length now, so that restoring can check it against the checkpoint's.
        foreach (var scheduler in Contents.States.Values.OfType<LRScheduler>())
            scheduler.StartRun(run.MaxEpochs, run.EstimatedOptimizerSteps);
        checkpoint.Restore(Contents);
        run.Resume(checkpoint.Counters);
        HyperparameterChanges = checkpoint.Hyperparameters.Differences(Contents.Hyperparameters);
        run.HyperparameterChanges = HyperparameterChanges;
        // Decided alike on every rank (rank 0 may be writing the file while another rank looks).
        if (options is not null && run.OnAnyRank(!File.Exists(options.LastPath)))
            Save(epochCompleted: !checkpoint.Counters.IsMidEpoch);
        var counters = checkpoint.Counters;
        run.Output.WriteLine($"resumed from {resumeFrom} at epoch {counters.Epoch}, iteration {counters.Iteration}"
            + string.Concat(HyperparameterChanges.Select(change => "; changed since: " + change)));
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
        var path = options.LastPath;
        // Rank 0 writes; in a data-parallel run the other ranks hold the same state and wait for the file.
        if (run.Speaks)
        {
            System.IO.Directory.CreateDirectory(options.Directory);
            Contents.Counters = CountersOf(run, epochCompleted);
            Checkpoint.Save(path, Contents);
        }
        run.AwaitRankZero();
        run.CheckpointWritten(path);
        return path;
    }

    /// <summary>
    /// The epoch-end checkpoints, after the EpochCompleted handlers: each best-checkpoint keeper
    /// writes its last file and, when its monitored metric was computed in this epoch and ranks, a
    /// best file; then <see cref="CheckpointOptions.LastFileName"/> when <see cref="CheckpointOptions.AtEpochEnd"/>
    /// is set and no keeper wrote that very file.
    /// </summary>
    public void EpochCompleted()
    {
        var lastWritten = false;
        if (keepers.Length > 0)
            Contents.Counters = CountersOf(run, epochCompleted: true);
        // Every rank ranks the score (the same, reduced over the ranks); rank 0 alone writes and deletes the files.
        foreach (var keeper in keepers)
        {
            var score = run.Metrics.IsFresh(keeper.Monitor, run.Epoch) ? run.Metrics[keeper.Monitor] : null;
            keeper.Save(Contents, run.Epoch, score);
            run.CheckpointWritten(keeper.LastPath);
            lastWritten |= options is not null && PathsEqual(keeper.LastPath, options.LastPath);
        }
        if (options is { AtEpochEnd: true } && !run.OnAnyRank(lastWritten))
            Save(epochCompleted: true);
        else if (keepers.Length > 0)
            run.AwaitRankZero();
    }

    static bool PathsEqual(string a, string b) => string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);

    /// <summary>The checkpoint of an interrupted run, when <see cref="CheckpointOptions.OnInterrupt"/>: it resumes where the run stopped; the run's output says where it is.</summary>
    public void Interrupted()
    {
        if (options is { OnInterrupt: true } && Save(epochCompleted: false) is { } path)
            run.Output.WriteLine($"interrupted after iteration {run.Iteration}; {path} resumes the run (FitOptions.ResumeFrom, --resume)");
    }

    // With epochCompleted (a checkpoint written in EpochCompleted, after validation) the epoch counts
    // as done and EpochIteration is 0; otherwise (IterationCompleted, an interruption) the resumed
    // run finishes the epoch, even when every batch of it has already trained.
    static CheckpointCounters CountersOf(PipelineRun run, bool epochCompleted) =>
        new(run.Epoch, run.Iteration, epochCompleted ? 0 : run.EpochIteration, run.OptimizerSteps);
}
