using Pipelines.Checkpoints;
using Pipelines.Generated;
using Pipelines.Handlers;
using Pipelines.Logging;
using Pipelines.Runtime.Tests.Checkpoints;

namespace Pipelines.Runtime.Tests.Engine;

/// <summary>A callback of the user's own that takes every event and counts each (what a reusable callback given to <c>Fit</c> sees).</summary>
public sealed class EveryEventCounter :
    IStartedHandler, IEpochStartedHandler, IIterationStartedHandler, IBackwardCompletedHandler, IIterationCompletedHandler, IEpochCompletedHandler,
    IValidationStartedHandler, IValidationCompletedHandler, ICompletedHandler, ITerminatedHandler, IExceptionRaisedHandler
{
    public Dictionary<string, int> Calls { get; } = [];

    /// <summary>The exception the run failed with, as ExceptionRaised saw it.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Terminates the run when this epoch completes (0: never).</summary>
    public int TerminateAtEpoch { get; init; }

    void Count(string name) => Calls[name] = Calls.GetValueOrDefault(name) + 1;

    public void OnStarted(in PipelineState state) => Count(nameof(Events.Started));

    public void OnEpochStarted(in PipelineState state) => Count(nameof(Events.EpochStarted));

    public void OnIterationStarted(in PipelineState state) => Count(nameof(Events.IterationStarted));

    public void OnBackwardCompleted(in PipelineState state) => Count(nameof(Events.BackwardCompleted));

    public void OnIterationCompleted(in PipelineState state) => Count(nameof(Events.IterationCompleted));

    public void OnEpochCompleted(in PipelineState state)
    {
        Count(nameof(Events.EpochCompleted));
        if (state.Epoch == TerminateAtEpoch)
            state.Terminate();
    }

    public void OnValidationStarted(in PipelineState state) => Count(nameof(Events.ValidationStarted));

    public void OnValidationCompleted(in PipelineState state) => Count(nameof(Events.ValidationCompleted));

    public void OnCompleted(in PipelineState state) => Count(nameof(Events.Completed));

    public void OnTerminated(in PipelineState state) => Count(nameof(Events.Terminated));

    public void OnExceptionRaised(in PipelineState state)
    {
        Count(nameof(Events.ExceptionRaised));
        Failure = state.Exception;
    }
}

/// <summary>A stateful trainer callback: the sum of the iteration numbers it saw, carried by checkpoints.</summary>
public sealed class IterationTally : IIterationCompletedHandler, ICheckpointState
{
    public long Sum { get; private set; }

    public void OnIterationCompleted(in PipelineState state) => Sum += state.Iteration;

    public void SaveState(CheckpointStateWriter writer) => writer.Json.WriteNumber("sum", Sum);

    public void ValidateState(CheckpointStateReader reader) => reader.GetInt64("sum");

    public void LoadState(CheckpointStateReader reader) => Sum = reader.GetInt64("sum");
}

/// <summary>
/// Trainer callbacks (<see cref="FitOptions.Callbacks"/> and the defaults): a user's callback gets
/// every event the number of times it fires, the failure events included; the defaults are the
/// ones Lightning's Trainer has and turn off one by one; a stateful one resumes exactly.
/// </summary>
[Collection(GlobalRandomState.Name)]
public sealed class TrainerCallbackTests
{
    static GeneratedResumeTests.Run NewRun(int initSeed = 1) => new(initSeed);

    static FitOptions Quiet(FitOptions options) => options with { Output = TextWriter.Null };

    [Fact]
    public void A_callback_given_to_Fit_receives_every_event_as_often_as_it_fires()
    {
        using var run = NewRun();
        var counter = new EveryEventCounter();
        // 60 samples in batches of 8: 8 iterations per epoch; validation every epoch.
        var result = run.Fit(Quiet(GeneratedResumeTests.Options(epochs: 2)) with { Callbacks = [counter] });

        Assert.Equal(16, result.Iterations);
        Assert.Equal(new Dictionary<string, int>
        {
            [nameof(Events.Started)] = 1,
            [nameof(Events.EpochStarted)] = 2,
            [nameof(Events.IterationStarted)] = 16,
            [nameof(Events.BackwardCompleted)] = 16,
            [nameof(Events.IterationCompleted)] = 16,
            [nameof(Events.EpochCompleted)] = 2,
            [nameof(Events.ValidationStarted)] = 2,
            [nameof(Events.ValidationCompleted)] = 2,
            [nameof(Events.Completed)] = 1,
        }, counter.Calls);
        // The pipeline's own handler of IterationCompleted ran as often, before the trainer's.
        Assert.Equal(16, run.Pipeline.Losses.Count);
    }

    [Fact]
    public void A_callback_given_to_Fit_sees_a_termination_and_a_failure()
    {
        using (var run = NewRun())
        {
            var counter = new EveryEventCounter { TerminateAtEpoch = 1 };
            var result = run.Fit(Quiet(GeneratedResumeTests.Options(epochs: 3)) with { Callbacks = [counter] });
            Assert.Equal(8, result.Iterations);
            Assert.Equal((1, 1, 1, 0), (counter.Calls[nameof(Events.EpochCompleted)], counter.Calls[nameof(Events.Terminated)],
                counter.Calls[nameof(Events.Completed)], counter.Calls.GetValueOrDefault(nameof(Events.ExceptionRaised))));
        }
        using (var run = NewRun())
        {
            var counter = new EveryEventCounter();
            run.Pipeline.AfterIteration = iteration =>
            {
                if (iteration == 3)
                    throw new InvalidOperationException("the step failed");
            };
            var error = Assert.Throws<InvalidOperationException>(() => run.Fit(Quiet(GeneratedResumeTests.Options()) with { Callbacks = [counter] }));
            Assert.Same(error, counter.Failure);
            Assert.Equal((1, 3, 0, 0), (counter.Calls[nameof(Events.ExceptionRaised)], counter.Calls[nameof(Events.IterationStarted)],
                counter.Calls.GetValueOrDefault(nameof(Events.Completed)), counter.Calls.GetValueOrDefault(nameof(Events.Terminated))));
        }
    }

    [Fact]
    public void The_defaults_are_Lightnings_and_each_turns_off_or_gives_way_to_one_of_its_type()
    {
        var contents = new CheckpointContents();
        using var model = torch.nn.Linear(2, 1);
        contents.Models.Add("model", model);
        static string[] Types(TrainerCallbacks callbacks) => [.. callbacks.All.Select(c => c.GetType().Name)];

        using (var defaults = TrainerCallbacks.Create(new FitOptions(), contents))
            Assert.Equal(new[] { nameof(ModelSummary), nameof(ProgressBar), nameof(MetricsTable) }, Types(defaults));
        using (var logged = TrainerCallbacks.Create(new FitOptions { RunDirectory = "runs/x" }, contents))
            Assert.Equal(new[] { nameof(ModelSummary), nameof(ProgressBar), nameof(MetricsTable), nameof(CsvLogger), nameof(TensorBoardLogger) }, Types(logged));
        var off = new FitOptions { RunDirectory = "runs/x", EnableModelSummary = false, EnableProgressBar = false, EnableMetricsTable = false, EnableLoggers = false };
        using (var none = TrainerCallbacks.Create(off, contents))
            Assert.Empty(none.All);

        // A progress bar of the user's replaces the default; a member CSV logger keeps the default one out (one metrics.csv).
        var bar = new ProgressBar(new ProgressBarOptions { PlainEvery = 10 });
        using var csv = new CsvLogger();
        using var replaced = TrainerCallbacks.Create(new FitOptions { RunDirectory = "runs/x", Callbacks = [bar] }, contents, csv);
        Assert.Equal(new[] { nameof(ModelSummary), nameof(MetricsTable), nameof(TensorBoardLogger), nameof(ProgressBar) }, Types(replaced));
        Assert.Same(bar, replaced.All[^1]);
        Assert.Empty(contents.States);
    }

    [Fact]
    public void Stateful_trainer_callbacks_are_checkpointed_and_resume_exactly()
    {
        static FitOptions WithCallbacks(FitOptions options, EarlyStopping early, IterationTally tally, BestCheckpoints best) =>
            Quiet(options) with { Callbacks = [early, tally, best] };
        static EarlyStopping NewEarly() => new(ResumableRegression.Metrics.Val.ValidationLoss, MonitorMode.Min, patience: 50);
        static BestCheckpoints NewBest(string directory) => new(ResumableRegression.Metrics.Val.ValidationLoss, MonitorMode.Min, keep: 1, directory: directory);

        using var dir = new TempDirectory();
        EarlyStoppingState expectedEarly;
        long expectedTally;
        Dictionary<string, float[]> expectedParameters;
        using (var run = NewRun())
        {
            var (early, tally) = (NewEarly(), new IterationTally());
            run.Fit(WithCallbacks(GeneratedResumeTests.Options(), early, tally, NewBest(Path.Combine(dir.Path, "straight"))));
            (expectedEarly, expectedTally, expectedParameters) = (early.GetState(), tally.Sum, CheckpointFixtures.Snapshot(run.Pipeline.Model));
        }
        Assert.Equal(24L * 25 / 2, expectedTally);

        string path;
        using (var run = NewRun())
        {
            using var cancellation = new CancellationTokenSource();
            run.Pipeline.AfterIteration = iteration =>
            {
                if (iteration == 11)
                    cancellation.Cancel();
            };
            var result = run.Fit(WithCallbacks(GeneratedResumeTests.Options(Path.Combine(dir.Path, "cut")), NewEarly(), new IterationTally(), NewBest(Path.Combine(dir.Path, "cut"))), cancellation.Token);
            Assert.True(result.Interrupted);
            path = result.LastCheckpoint!;
        }
        using (var checkpoint = Checkpoint.Load(path))
            Assert.Superset(new HashSet<string> { "callback-EarlyStopping", "callback-IterationTally", "callback-BestCheckpoints" }, checkpoint.StateNames.ToHashSet());

        // A fresh "process": new callbacks, weights from another seed; the checkpoint brings all of them back.
        torch.rand(99).Dispose();
        using (var run = NewRun(initSeed: 999))
        {
            var (early, tally, best) = (NewEarly(), new IterationTally(), NewBest(Path.Combine(dir.Path, "resumed")));
            var result = run.Fit(WithCallbacks(GeneratedResumeTests.Options(resumeFrom: path), early, tally, best));
            Assert.NotNull(result.ResumedFrom);
            Assert.Equal(expectedTally, tally.Sum);
            Assert.Equal(expectedEarly, early.GetState());
            CheckpointFixtures.AssertSame(expectedParameters, CheckpointFixtures.Snapshot(run.Pipeline.Model));
            Assert.True(File.Exists(best.BestPath), best.BestPath);
        }
    }
}
