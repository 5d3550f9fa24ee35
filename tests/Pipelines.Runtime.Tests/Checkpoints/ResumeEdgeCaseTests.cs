using Pipelines.Checkpoints;
using Pipelines.Handlers;
using Pipelines.Metrics;
using Pipelines.Schedulers;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Pipelines.Runtime.Tests.Checkpoints;

/// <summary>
/// A generated pipeline that keeps the 2 best checkpoints by validation loss (as the sample does)
/// and steps a per-batch schedule: a StepLR, or a OneCycleLR sized for a number of steps.
/// </summary>
[Pipeline]
public sealed partial class KeptRegression : IDisposable
{
    [Model] readonly Sequential model;
    [Optimizer] readonly Adam optimizer;
    [Metric] readonly Mean validationLoss = new();
    [Checkpointed] readonly BestCheckpoints best;
    [Checkpointed] readonly LRScheduler schedule;

    public KeptRegression(string directory, int hidden = 16, int? oneCycleSteps = null)
    {
        torch.manual_seed(3);
        model = Sequential(Linear(4, hidden), ReLU(), Linear(hidden, 1));
        optimizer = torch.optim.Adam(model.parameters(), 0.01);
        schedule = oneCycleSteps is { } steps
            ? new OneCycleLR(optimizer, maxLr: 0.01, totalSteps: steps)
            : new StepLR(optimizer, stepSize: 5, gamma: 0.7, interval: SchedulerInterval.OptimizerStep);
        best = new BestCheckpoints(Metrics.Val.ValidationLoss, MonitorMode.Min, keep: 2, directory: directory);
    }

    public Sequential Model => model;

    public BestCheckpoints Best => best;

    [TrainingStep]
    Tensor Train(Batch batch) => functional.mse_loss(model.call(batch.Input), batch.Target);

    [ValidationStep, TestStep]
    void Validate(Batch batch) => validationLoss.Update(functional.mse_loss(model.call(batch.Input), batch.Target));

    public void Dispose()
    {
        validationLoss.Dispose();
        optimizer.Dispose();
        model.Dispose();
    }
}

/// <summary>
/// Resuming a finished run into another run directory (the same or more epochs), a last.ckpt
/// copied away from its best files, a changed run
/// length that a checkpointed schedule cannot follow, a checkpoint of another model shape or
/// another pipeline class, and a checkpoint past the run's last epoch.
/// </summary>
[Collection(GlobalRandomState.Name)]
public sealed class ResumeEdgeCaseTests : IDisposable
{
    const int Epochs = 3;
    const int BatchesPerEpoch = 8;   // 60 samples in batches of 8

    readonly TempDirectory root = new();
    readonly Tensor inputs, targets, validationInputs, validationTargets;

    public ResumeEdgeCaseTests()
    {
        torch.manual_seed(1234);
        inputs = torch.randn(60, 4);
        validationInputs = torch.randn(20, 4);
        using var w = torch.randn(4, 1);
        targets = inputs.matmul(w) + 0.1 * torch.randn(60, 1);
        validationTargets = validationInputs.matmul(w);
    }

    public void Dispose()
    {
        foreach (var t in new[] { inputs, targets, validationInputs, validationTargets })
            t.Dispose();
        root.Dispose();
    }

    string RunDirectory(string name) => root.File(name);

    /// <summary>Trains a fresh pipeline writing into <paramref name="directory"/> (as the sample does: last.ckpt and best files from the keeper).</summary>
    (FitResult<KeptRegression.Metrics, KeptRegression.Hyperparameters> Result, Dictionary<string, float[]> Weights, List<SavedCheckpoint> Best) Fit(
        string directory, int epochs, string? resumeFrom = null, int hidden = 16, int? oneCycleSteps = null, int? limit = null)
    {
        using var train = new BatchLoader(inputs, targets, new BatchLoaderOptions { BatchSize = 8, Shuffle = true, Seed = 7 });
        using var validation = new BatchLoader(validationInputs, validationTargets, new BatchLoaderOptions { BatchSize = 10 });
        using var pipeline = new KeptRegression(directory, hidden, oneCycleSteps);
        var result = pipeline.Fit(train, validation, new FitOptions
        {
            MaxEpochs = epochs,
            Seed = 42,
            LimitTrainBatches = limit,
            ResumeFrom = resumeFrom,
            Checkpoints = new CheckpointOptions { Directory = directory, AtEpochEnd = false },
        });
        return (result, CheckpointFixtures.Snapshot(pipeline.Model), [.. pipeline.Best.Best]);
    }

    static Dictionary<string, byte[]> Files(string directory) =>
        System.IO.Directory.GetFiles(directory).ToDictionary(path => Path.GetFileName(path), File.ReadAllBytes);

    static void AssertSameFiles(Dictionary<string, byte[]> expected, string directory)
    {
        var actual = Files(directory);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, bytes) in expected)
            Assert.True(bytes.AsSpan().SequenceEqual(actual[name]), $"{name} changed");
    }

    [Fact]
    public void A_finished_run_resumed_into_another_directory_with_the_same_epochs_brings_its_checkpoints_along()
    {
        var first = RunDirectory("first");
        var (finished, weights, best) = Fit(first, Epochs);
        Assert.Equal(2, best.Count);
        var before = Files(first);

        var second = RunDirectory("second");
        var (resumed, resumedWeights, resumedBest) = Fit(second, Epochs, resumeFrom: Path.Combine(first, "last.ckpt"));

        // Nothing left to train: the same iterations, the same weights.
        Assert.Equal(finished.Iterations, resumed.Iterations);
        Assert.Equal(new CheckpointCounters(Epochs, Epochs * BatchesPerEpoch, 0, Epochs * BatchesPerEpoch), resumed.ResumedFrom);
        CheckpointFixtures.AssertSame(weights, resumedWeights);
        // The new directory holds a last.ckpt at the resumed point and the best files its list names, copied whole.
        Assert.Equal(Path.Combine(second, "last.ckpt"), resumed.LastCheckpoint);
        using (var last = Checkpoint.Load(Path.Combine(second, "last.ckpt")))
            Assert.Equal(resumed.ResumedFrom, last.Counters);
        Assert.Equal(best, resumedBest);
        foreach (var entry in resumedBest)
            Assert.Equal(before[entry.FileName], File.ReadAllBytes(Path.Combine(second, entry.FileName)));
        AssertSameFiles(before, first);
    }

    [Fact]
    public void A_finished_run_resumed_into_another_directory_with_more_epochs_trains_on_as_one_run()
    {
        var (uninterrupted, expectedWeights, expectedBest) = Fit(RunDirectory("whole"), Epochs + 2);

        var first = RunDirectory("first");
        Fit(first, Epochs);
        var before = Files(first);
        var second = RunDirectory("second");
        var (resumed, weights, best) = Fit(second, Epochs + 2, resumeFrom: Path.Combine(first, "last.ckpt"));

        Assert.Equal(uninterrupted.Iterations, resumed.Iterations);
        CheckpointFixtures.AssertSame(expectedWeights, weights);
        Assert.Equal(expectedBest, best);
        foreach (var entry in best)
            Assert.True(File.Exists(Path.Combine(second, entry.FileName)), $"{entry.FileName} is listed but not in {second}");
        // Evictions happen in the new directory only: the first run's files are as it left them.
        AssertSameFiles(before, first);
    }

    [Fact]
    public void A_one_cycle_schedule_sized_for_another_run_length_is_refused_at_resume_naming_both_lengths()
    {
        var first = RunDirectory("first");
        Fit(first, Epochs, oneCycleSteps: Epochs * BatchesPerEpoch);
        var checkpoint = Path.Combine(first, "last.ckpt");

        // More epochs: the schedule would be stretched; a batch limit: it would have stepped past its end.
        foreach (var (epochs, limit, steps) in new[] { (Epochs + 2, (int?)null, (Epochs + 2) * BatchesPerEpoch), (Epochs, 2, Epochs * 2) })
        {
            var second = RunDirectory($"second-{epochs}-{limit}");
            var error = Assert.Throws<CheckpointException>(() => Fit(second, epochs, resumeFrom: checkpoint, oneCycleSteps: steps, limit: limit));
            Assert.Equal(checkpoint, error.FilePath);
            Assert.Equal("states.schedule.length", error.Key);
            Assert.Contains($"the checkpoint's OneCycleLR was sized for {Epochs * BatchesPerEpoch} steps, this run's for {steps}", error.Message);
            Assert.Contains("Resume with the settings of the checkpointed run", error.Message);
            Assert.False(System.IO.Directory.Exists(second), "a refused resume wrote into the new run directory");
        }
    }

    [Fact]
    public void A_checkpoint_of_another_model_shape_is_refused_naming_the_first_mismatching_tensor()
    {
        var first = RunDirectory("first");
        Fit(first, 1);
        var second = RunDirectory("second");
        var error = Assert.Throws<CheckpointException>(() => Fit(second, Epochs, resumeFrom: Path.Combine(first, "last.ckpt"), hidden: 32));
        Assert.Equal("model.model.0.weight", error.Key);
        Assert.Contains("shape mismatch: the checkpoint has [16, 4], the model [32, 4]", error.Message);
        Assert.Contains("nothing was loaded", error.Message);
        Assert.False(System.IO.Directory.Exists(second));
    }

    [Fact]
    public void A_checkpoint_of_another_pipeline_class_is_refused_naming_the_first_mismatching_tensor()
    {
        // ResumableRegression: Linear, ReLU, Dropout, Linear (its second weight is "3.weight"), a training metric, early stopping.
        var other = RunDirectory("other");
        using (var run = new GeneratedResumeTests.Run(initSeed: 1))
            run.Fit(GeneratedResumeTests.Options(other, epochs: 1));
        var error = Assert.Throws<CheckpointException>(() => Fit(RunDirectory("second"), Epochs, resumeFrom: Path.Combine(other, "last.ckpt")));
        Assert.Equal("model.model.2.weight", error.Key);
        Assert.Contains("'model.model.2.weight': missing key", error.Message);
        Assert.Contains("'model.model.3.weight': unexpected key", error.Message);
        Assert.Contains("'states.best': missing", error.Message);
        Assert.Contains("'states.early': unexpected", error.Message);
    }

    [Fact]
    public void A_checkpoint_past_the_last_epoch_is_refused()
    {
        var first = RunDirectory("first");
        Fit(first, Epochs);
        var error = Assert.Throws<CheckpointException>(() => Fit(RunDirectory("second"), Epochs - 1, resumeFrom: Path.Combine(first, "last.ckpt")));
        Assert.Equal("counters", error.Key);
        Assert.Contains($"after epoch {Epochs}, past this run's MaxEpochs {Epochs - 1}", error.Message);
    }

    [Fact]
    public void A_last_checkpoint_copied_away_from_its_best_files_says_so_at_start_trains_on_and_tests_the_best_file_there_is()
    {
        var first = RunDirectory("first");
        var (_, _, best) = Fit(first, Epochs);
        Assert.Equal(2, best.Count);
        var lone = RunDirectory("lone");
        System.IO.Directory.CreateDirectory(lone);
        var checkpoint = Path.Combine(lone, "last.ckpt");
        File.Copy(Path.Combine(first, "last.ckpt"), checkpoint);
        var missing = string.Join(", ", best.Select(b => b.FileName));
        using var validation = new BatchLoader(validationInputs, validationTargets, new BatchLoaderOptions { BatchSize = 10 });

        (FitResult<KeptRegression.Metrics, KeptRegression.Hyperparameters> Result, DirectoryWatchingWriter Output) Resume(KeptRegression pipeline, string directory, int epochs)
        {
            using var train = new BatchLoader(inputs, targets, new BatchLoaderOptions { BatchSize = 8, Shuffle = true, Seed = 7 });
            var output = new DirectoryWatchingWriter(directory);
            var result = pipeline.Fit(train, validation, new FitOptions
            {
                MaxEpochs = epochs,
                Seed = 42,
                ResumeFrom = checkpoint,
                Output = output,
                Checkpoints = new CheckpointOptions { Directory = directory, AtEpochEnd = false },
            });
            // The first line names the missing files and where they were looked for, before the run wrote anything.
            Assert.Equal(
                $"best checkpoints missing: {missing} (by val/validation_loss), listed in {checkpoint} but in neither {directory} nor {lone}; "
                + "going on without them (later epochs fill the best 2 again)", output.Lines[0]);
            Assert.Empty(output.FilesAtEachLine[0]);
            Assert.Single(output.Lines, line => line.StartsWith("best checkpoints missing", StringComparison.Ordinal));
            Assert.Equal(best.Select(b => b.FileName), pipeline.Best.MissingAtResume);
            return (result, output);
        }

        // Nothing left to train: no best file exists, and Test(Best) says which are missing instead of testing other weights.
        var second = RunDirectory("second");
        using (var pipeline = new KeptRegression(second))
        {
            var (result, _) = Resume(pipeline, second, Epochs);
            Assert.Equal(Epochs * BatchesPerEpoch, result.Iterations);
            Assert.Empty(pipeline.Best.Best);
            Assert.Equal(["last.ckpt"], System.IO.Directory.GetFiles(second).Select(Path.GetFileName));
            var error = Assert.Throws<InvalidOperationException>(() => pipeline.Test(validation, TestCheckpoint.Best));
            Assert.Contains($"the run resumed without its best files {missing} (by val/validation_loss), listed in {checkpoint} but in neither {second} nor {lone}", error.Message);
            Assert.NotNull(pipeline.Test(validation, TestCheckpoint.Last).ValidationLoss);
        }

        // Two more epochs: training goes on, the keeper fills its list from them, and Test(Best) tests the better of the two.
        var third = RunDirectory("third");
        using (var pipeline = new KeptRegression(third))
        {
            var (result, _) = Resume(pipeline, third, Epochs + 2);
            Assert.Equal((Epochs + 2) * BatchesPerEpoch, result.Iterations);
            Assert.Equal([Epochs + 1, Epochs + 2], pipeline.Best.Best.Select(b => b.Epoch).Order());
            foreach (var entry in pipeline.Best.Best)
                Assert.True(File.Exists(Path.Combine(third, entry.FileName)), $"{entry.FileName} is listed but not in {third}");
            var tested = pipeline.Test(validation, TestCheckpoint.Best);
            Assert.Equal(pipeline.Best.Best[0].Score, tested.ValidationLoss!.Value, 5);
        }
        Assert.Equal(["last.ckpt"], System.IO.Directory.GetFiles(lone).Select(Path.GetFileName));
    }
}
