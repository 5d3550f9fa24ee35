using Pipelines.Checkpoints;
using Pipelines.Handlers;
using Pipelines.Metrics;
using Pipelines.Schedulers;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Pipelines.Runtime.Tests.Checkpoints;

/// <summary>
/// A generated pipeline (Linear + dropout + Adam over a shuffling, prefetching BatchLoader, with a
/// training metric, early stopping and an LR scheduler marked [Checkpointed]) whose Fit writes
/// checkpoints and resumes from them.
/// </summary>
[Pipeline]
public sealed partial class ResumableRegression : IDisposable
{
    [Hyperparameter] public double LearningRate { get; } = 0.01;

    [Model] readonly Sequential model;
    [Optimizer] readonly Adam optimizer;
    [Metric] readonly Mean trainLoss = new();
    [Metric] readonly Mean validationLoss = new();
    [Checkpointed] readonly EarlyStopping early;
    [Checkpointed] readonly StepLR schedule;

    /// <summary>The model drawn from <paramref name="initSeed"/>, trained at the learning rate of <paramref name="hyperparameters"/>, stopping after <paramref name="patience"/> validations without progress.</summary>
    public ResumableRegression(Hyperparameters hyperparameters, long initSeed, int patience = 50) : this(hyperparameters)
    {
        early = new EarlyStopping(Metrics.Val.ValidationLoss, MonitorMode.Min, patience);
        torch.manual_seed(initSeed);
        model = Sequential(Linear(4, 16), ReLU(), Dropout(0.2), Linear(16, 1));
        optimizer = torch.optim.Adam(model.parameters(), LearningRate);
        schedule = new StepLR(optimizer, stepSize: 5, gamma: 0.7, interval: SchedulerInterval.OptimizerStep);
    }

    public Sequential Model => model;

    public List<double> Losses { get; } = [];

    public List<double> EpochTrainLosses { get; } = [];

    public EarlyStopping Early => early;

    /// <summary>Runs after each IterationCompleted (after the loss is recorded), with the global iteration.</summary>
    public Action<int>? AfterIteration { get; set; }

    [TrainingStep]
    Tensor Train(Batch batch)
    {
        var loss = functional.mse_loss(model.call(batch.Input), batch.Target);
        trainLoss.Update(loss);
        return loss;
    }

    [ValidationStep]
    void Validate(Batch batch) => validationLoss.Update(functional.mse_loss(model.call(batch.Input), batch.Target));

    [OnEvent(Events.IterationCompleted)]
    void Record(in PipelineState state)
    {
        Losses.Add(state.Loss);
        AfterIteration?.Invoke(state.Iteration);
    }

    [OnEvent(Events.EpochCompleted)]
    void AfterEpoch(in PipelineState state)
    {
        EpochTrainLosses.Add(trainLoss.Compute());
    }

    public void Dispose()
    {
        trainLoss.Dispose();
        validationLoss.Dispose();
        optimizer.Dispose();
        model.Dispose();
    }
}

[Collection(GlobalRandomState.Name)]
public sealed class GeneratedResumeTests
{
    const int Epochs = 3;

    /// <summary>One "process": data, loaders and a pipeline whose weights come from its own seed (a resume overwrites them).</summary>
    internal sealed class Run : IDisposable
    {
        readonly Tensor inputs, targets, validationInputs, validationTargets;

        public Run(long initSeed, int prefetch = 2, int patience = 50)
        {
            torch.manual_seed(1234);
            inputs = torch.randn(60, 4);
            validationInputs = torch.randn(20, 4);
            using (var w = torch.randn(4, 1))
            {
                targets = inputs.matmul(w) + 0.1 * torch.randn(60, 1);
                validationTargets = validationInputs.matmul(w);
            }
            Train = new BatchLoader(inputs, targets, new BatchLoaderOptions { BatchSize = 8, Shuffle = true, Seed = 7, PrefetchBatches = prefetch });
            Validation = new BatchLoader(validationInputs, validationTargets, new BatchLoaderOptions { BatchSize = 10 });
            Pipeline = new ResumableRegression(new ResumableRegression.Hyperparameters(), initSeed, patience);
        }

        public BatchLoader Train { get; }

        public BatchLoader Validation { get; }

        public ResumableRegression Pipeline { get; }

        public FitResult<ResumableRegression.Metrics, ResumableRegression.Hyperparameters> Fit(FitOptions options, CancellationToken token = default) =>
            Pipeline.Fit(Train, Validation, options, token);

        public void Dispose()
        {
            Pipeline.Dispose();
            Train.Dispose();
            Validation.Dispose();
            foreach (var t in new[] { inputs, targets, validationInputs, validationTargets })
                t.Dispose();
        }
    }

    internal static FitOptions Options(string? directory = null, string? resumeFrom = null, int? every = null, int epochs = Epochs, int accumulate = 1) => new()
    {
        MaxEpochs = epochs,
        Seed = 42,
        AccumulateGradBatches = accumulate,
        ResumeFrom = resumeFrom,
        Checkpoints = directory is null ? null : new CheckpointOptions { Directory = directory, EveryIterations = every },
    };

    sealed record Outcome(List<double> Losses, List<double> EpochTrainLosses, Dictionary<string, float[]> Parameters, EarlyStoppingState Early, int Iterations);

    static Outcome Uninterrupted(int accumulate = 1)
    {
        using var run = new Run(initSeed: 1);
        var result = run.Fit(Options(accumulate: accumulate));
        Assert.False(result.Interrupted);
        return new(run.Pipeline.Losses, run.Pipeline.EpochTrainLosses, CheckpointFixtures.Snapshot(run.Pipeline.Model), run.Pipeline.Early.GetState(), result.Iterations);
    }

    /// <summary>Resumes <paramref name="path"/> in a fresh "process" whose weights start elsewhere, after what the first run trained.</summary>
    static Outcome Resume(string path, List<double> losses, List<double> epochLosses, int accumulate = 1)
    {
        // Draws after the save must not leak into the resumed run.
        torch.rand(99).Dispose();
        using var run = new Run(initSeed: 999);
        var result = run.Fit(Options(resumeFrom: path, accumulate: accumulate));
        Assert.False(result.Interrupted);
        Assert.NotNull(result.ResumedFrom);
        Assert.Empty(result.HyperparameterChanges);
        return new([.. losses, .. run.Pipeline.Losses], [.. epochLosses, .. run.Pipeline.EpochTrainLosses],
            CheckpointFixtures.Snapshot(run.Pipeline.Model), run.Pipeline.Early.GetState(), result.Iterations);
    }

    static void AssertIdentical(Outcome expected, Outcome actual)
    {
        Assert.Equal(expected.Iterations, actual.Iterations);
        Assert.Equal(expected.Losses.Count, actual.Losses.Count);
        for (var i = 0; i < expected.Losses.Count; i++)
            Assert.True(BitConverter.DoubleToInt64Bits(expected.Losses[i]) == BitConverter.DoubleToInt64Bits(actual.Losses[i]),
                $"loss {i + 1}: {expected.Losses[i]:R} uninterrupted, {actual.Losses[i]:R} resumed");
        Assert.Equal(expected.EpochTrainLosses, actual.EpochTrainLosses);   // the training metric, across the cut
        CheckpointFixtures.AssertSame(expected.Parameters, actual.Parameters);
        Assert.Equal(expected.Early, actual.Early);
    }

    /// <summary>Cancels the run once iteration <paramref name="at"/> has completed; returns what it trained and the checkpoint it wrote.</summary>
    static (List<double> Losses, List<double> EpochLosses, string Path, FitResult<ResumableRegression.Metrics, ResumableRegression.Hyperparameters> Result) Interrupt(string directory, int at, int accumulate = 1)
    {
        using var run = new Run(initSeed: 1);
        using var cancellation = new CancellationTokenSource();
        run.Pipeline.AfterIteration = iteration =>
        {
            if (iteration == at)
                cancellation.Cancel();
        };
        var result = run.Fit(Options(directory, accumulate: accumulate), cancellation.Token);
        Assert.True(result.Interrupted);
        Assert.NotNull(result.LastCheckpoint);
        Assert.True(File.Exists(result.LastCheckpoint));
        return (run.Pipeline.Losses, run.Pipeline.EpochTrainLosses, result.LastCheckpoint!, result);
    }

    [Theory]
    [InlineData(11)]   // mid-epoch: epoch 2, after 3 of its 8 batches
    [InlineData(1)]    // after the very first iteration
    [InlineData(8)]    // the last batch of epoch 1: the validation pass is cut, so the checkpoint stands after the epoch's training and the resumed run validates it
    public void Cancelled_run_writes_a_checkpoint_that_resumes_bitwise_identically(int at)
    {
        var expected = Uninterrupted();
        using var dir = new TempDirectory();
        var (losses, epochLosses, path, result) = Interrupt(dir.Path, at);
        Assert.Equal(at, result.Iterations);
        using (var checkpoint = Checkpoint.Load(path))
        {
            var counters = checkpoint.Counters;
            Assert.Equal(at, counters.Iteration);
            Assert.Equal(at % 8 == 0 ? 8 : at % 8, counters.EpochIteration);
        }
        AssertIdentical(expected, Resume(path, losses, epochLosses));
    }

    [Fact]
    public void Epoch_end_checkpoint_resumes_bitwise_identically()
    {
        var expected = Uninterrupted();
        using var dir = new TempDirectory();
        Outcome first;
        using (var run = new Run(initSeed: 1))
        {
            var result = run.Fit(Options(dir.Path, epochs: 1));
            Assert.False(result.Interrupted);
            Assert.Equal(Path.Combine(dir.Path, "last.ckpt"), result.LastCheckpoint);
            first = new(run.Pipeline.Losses, run.Pipeline.EpochTrainLosses, [], default, result.Iterations);
        }
        using (var checkpoint = Checkpoint.Load(Path.Combine(dir.Path, "last.ckpt")))
            Assert.Equal(new CheckpointCounters(1, 8, 0, 8), checkpoint.Counters);
        AssertIdentical(expected, Resume(Path.Combine(dir.Path, "last.ckpt"), first.Losses, first.EpochTrainLosses));
    }

    [Fact]
    public void Periodic_mid_epoch_checkpoint_resumes_bitwise_identically()
    {
        var expected = Uninterrupted();
        using var dir = new TempDirectory();
        var snapshot = Path.Combine(dir.Path, "at-10.ckpt");
        List<double> losses;
        using (var run = new Run(initSeed: 1))
        {
            // EveryIterations = 5: checkpoints after iterations 5, 10, 15, ... (not on an epoch's last batch); keep the one of iteration 10.
            run.Pipeline.AfterIteration = iteration =>
            {
                if (iteration == 11)
                    File.Copy(Path.Combine(dir.Path, "last.ckpt"), snapshot);
            };
            run.Fit(new FitOptions { MaxEpochs = Epochs, Seed = 42, Checkpoints = new CheckpointOptions { Directory = dir.Path, EveryIterations = 5, AtEpochEnd = false } });
            losses = run.Pipeline.Losses.Take(10).ToList();
        }
        using (var checkpoint = Checkpoint.Load(snapshot))
            Assert.Equal(new CheckpointCounters(2, 10, 2, 10), checkpoint.Counters);
        AssertIdentical(expected, Resume(snapshot, losses, [expected.EpochTrainLosses[0]]));
    }

    [Fact]
    public void Under_gradient_accumulation_an_interruption_waits_for_the_optimizer_step()
    {
        var expected = Uninterrupted(accumulate: 3);
        using var dir = new TempDirectory();
        // Cancelled after iteration 4, inside the window 4..6: the run stops after 6, where the optimizers stepped.
        var (losses, epochLosses, path, result) = Interrupt(dir.Path, at: 4, accumulate: 3);
        Assert.Equal((6, 2), (result.Iterations, result.OptimizerSteps));
        AssertIdentical(expected, Resume(path, losses, epochLosses, accumulate: 3));
    }

    [Fact]
    public void Resuming_with_another_training_source_fails_before_loading_anything()
    {
        using var dir = new TempDirectory();
        var (_, _, path, _) = Interrupt(dir.Path, at: 3);
        using var run = new Run(initSeed: 5);
        var before = CheckpointFixtures.Snapshot(run.Pipeline.Model);
        using var other = new BatchLoader(torch.randn(30, 4), torch.randn(30, 1), new BatchLoaderOptions { BatchSize = 8, Shuffle = true, Seed = 7 });
        var error = Assert.Throws<CheckpointException>(() => run.Pipeline.Fit(other, run.Validation, Options(resumeFrom: path)));
        Assert.Equal(path, error.FilePath);
        Assert.Contains("count", error.Message, StringComparison.Ordinal);
        CheckpointFixtures.AssertSame(before, CheckpointFixtures.Snapshot(run.Pipeline.Model));
    }

    [Fact]
    public void A_training_source_without_checkpoint_state_is_refused_when_checkpoints_are_asked_for()
    {
        using var run = new Run(initSeed: 1);
        using var loader = new TensorDataLoader(torch.randn(16, 4), torch.randn(16, 1), 8, shuffle: true, seed: 3);
        using var dir = new TempDirectory();
        var error = Assert.Throws<ArgumentException>(() => run.Pipeline.Fit(loader, null, Options(dir.Path)));
        Assert.Contains("ResumableBatchSource", error.Message, StringComparison.Ordinal);
    }
}
