using Pipelines.Handlers;
using Pipelines.Logging;

namespace Pipelines.Runtime.Tests.Engine;

public sealed class EngineBehaviourTests
{
    [Theory]
    // batches, epochs, accumulate, limit, max steps -> iterations, optimizer steps, zero_grads
    [InlineData(10, 1, 1, null, null, 10, 10)]
    [InlineData(10, 1, 3, null, null, 10, 4)]        // windows 3 + 3 + 3 + 1 (the leftover steps at epoch end)
    [InlineData(10, 2, 3, null, null, 20, 8)]
    [InlineData(9, 2, 3, null, null, 18, 6)]
    [InlineData(10, 3, 1, 4, null, 12, 12)]          // LimitTrainBatches
    [InlineData(10, 2, 3, 4, null, 8, 4)]            // limit 4 with windows of 3: 3 + 1 per epoch
    [InlineData(10, 3, 1, null, 5, 5, 5)]            // MaxSteps
    [InlineData(10, 3, 2, null, 3, 6, 3)]            // MaxSteps counts optimizer steps, not batches
    public void Accumulation_and_limits_give_the_expected_step_counts(int batches, int epochs, int accumulate, int? limit, int? maxSteps, int iterations, int steps)
    {
        using var pipeline = new RecordingPipeline();
        var result = pipeline.Fit(new IndexBatches(batches), null,
            new FitOptions { MaxEpochs = epochs, AccumulateGradBatches = accumulate, LimitTrainBatches = limit, MaxSteps = maxSteps });
        Assert.Equal(iterations, result.Iterations);
        Assert.Equal(steps, result.OptimizerSteps);
        Assert.Equal(steps, pipeline.Optimizer.Steps);
        Assert.Equal(steps, pipeline.Optimizer.ZeroGrads);
    }

    [Fact]
    public void FastDevRun_runs_one_batch_of_each_phase()
    {
        using var pipeline = new RecordingPipeline();
        var result = pipeline.Fit(new IndexBatches(10), new IndexBatches(10), new FitOptions { MaxEpochs = 5, FastDevRun = true, AccumulateGradBatches = 4 });
        Assert.Equal((1, 1, 1), (result.Epochs, result.Iterations, result.OptimizerSteps));
        Assert.Equal([0], pipeline.ValidatedBatches);
    }

    [Fact]
    public void ValidateEvery_and_LimitValidationBatches_shape_the_validation_passes()
    {
        using var pipeline = new RecordingPipeline();
        pipeline.Fit(new IndexBatches(2), new IndexBatches(10), new FitOptions { MaxEpochs = 5, ValidateEvery = 2, LimitValidationBatches = 3 });
        Assert.Equal([2, 4], pipeline.CallsOf("ValidationCompleted"));
        Assert.Equal([0, 1, 2, 0, 1, 2], pipeline.ValidatedBatches);
    }

    [Fact]
    public void Each_pass_starts_its_source_once()
    {
        using var pipeline = new RecordingPipeline();
        var train = new IndexBatches(3);
        var validation = new IndexBatches(2);
        pipeline.Fit(train, validation, new FitOptions { MaxEpochs = 4 });
        Assert.Equal((4, 4), (train.Passes, validation.Passes));
    }

    [Fact]
    public void Terminate_in_an_iteration_ends_the_run_after_that_iteration()
    {
        using var pipeline = new TerminatingPipeline { TerminateAtIteration = 7 };
        var result = pipeline.Fit(new IndexBatches(5), new IndexBatches(1), new FitOptions { MaxEpochs = 5 });
        // Epoch 2 was cut short: no validation and no EpochCompleted for it (Ignite's terminate()).
        Assert.Equal(["validation 1", "epoch 1", "terminated 7", "completed 7"], pipeline.Log);
        Assert.Equal((2, 7, true), (result.Epochs, result.Iterations, result.Terminated));
    }

    [Fact]
    public void Terminate_at_an_epoch_end_finishes_that_epoch()
    {
        using var pipeline = new TerminatingPipeline { TerminateAtEpoch = 2 };
        var result = pipeline.Fit(new IndexBatches(5), new IndexBatches(1), new FitOptions { MaxEpochs = 5 });
        Assert.Equal(["validation 1", "epoch 1", "validation 2", "epoch 2", "terminated 10", "completed 10"], pipeline.Log);
        Assert.Equal((2, 10, true), (result.Epochs, result.Iterations, result.Terminated));
    }

    [Fact]
    public void Cancellation_interrupts_after_the_iteration_in_progress_and_returns_Interrupted()
    {
        using var cancellation = new CancellationTokenSource();
        using var pipeline = new RecordingPipeline();
        pipeline.OnTrain = batch =>
        {
            if (batch == 2)
                cancellation.Cancel();
        };
        // Cancellation is not an error: Fit returns (it used to throw OperationCanceledException).
        var result = pipeline.Fit(new IndexBatches(5), null, new FitOptions { MaxEpochs = 3 }, cancellation.Token);
        Assert.True(result.Interrupted);
        Assert.False(result.Terminated);
        Assert.Null(result.LastCheckpoint);   // no FitOptions.Checkpoints: nothing written
        Assert.Equal((1, 3), (result.Epochs, result.Iterations));
        Assert.Equal([1, 2, 3], pipeline.CallsOf("IterationCompleted"));
        // The run is not over: no ExceptionRaised, no Terminated, no Completed, and no EpochCompleted for the cut epoch.
        Assert.DoesNotContain(pipeline.Calls, c => c.Handler.StartsWith("ExceptionRaised", StringComparison.Ordinal)
            || c.Handler is "Completed" or "Terminated" or "EpochCompleted");
        // The iteration's dispose scope was closed: a new scope opens and closes in order.
        using (torch.NewDisposeScope()) { }
    }

    [Fact]
    public void Cancellation_before_Fit_interrupts_before_the_first_epoch()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        using var pipeline = new RecordingPipeline();
        var result = pipeline.Fit(new IndexBatches(5), null, new FitOptions { MaxEpochs = 3 }, cancellation.Token);
        Assert.True(result.Interrupted);
        Assert.Equal((0, 0), (result.Epochs, result.Iterations));
        Assert.Empty(pipeline.CallsOf("IterationCompleted"));
    }

    [Fact]
    public void An_exception_in_a_step_reaches_ExceptionRaised_then_propagates()
    {
        using var pipeline = new RecordingPipeline();
        var failure = new InvalidOperationException("bad batch");
        pipeline.OnTrain = batch =>
        {
            if (batch == 3)
                throw failure;
        };
        var thrown = Assert.Throws<InvalidOperationException>(() => pipeline.Fit(new IndexBatches(5), null, new FitOptions { MaxEpochs = 2 }));
        Assert.Same(failure, thrown);
        Assert.Equal([4], pipeline.CallsOf("ExceptionRaised:bad batch"));
        Assert.Empty(pipeline.CallsOf("Completed"));
    }

    [Fact]
    public void Validation_runs_in_eval_without_grad_and_restores_each_module_mode()
    {
        using var pipeline = new ModePipeline();
        pipeline.Model.Child(1).eval();   // a frozen submodule
        pipeline.Fit(new IndexBatches(1), new IndexBatches(1), new FitOptions { MaxEpochs = 2 });
        Assert.Equal(
        [
            "train True/True/False/grad=True",
            "validate False/False/False/grad=False",
            "train True/True/False/grad=True",
            "validate False/False/False/grad=False",
        ], pipeline.Seen);
        Assert.Equal((true, true, false), (pipeline.Model.training, pipeline.Model.Child(0).training, pipeline.Model.Child(1).training));
    }

    [Fact]
    public void Validate_alone_restores_modes_too()
    {
        using var pipeline = new ModePipeline();
        pipeline.Model.Child(0).eval();
        pipeline.Validate(new IndexBatches(2));
        Assert.Equal(["validate False/False/False/grad=False", "validate False/False/False/grad=False"], pipeline.Seen);
        Assert.Equal((true, false, true), (pipeline.Model.training, pipeline.Model.Child(0).training, pipeline.Model.Child(1).training));
    }

    [Fact]
    public void A_model_left_in_eval_mode_trains_at_the_epoch_start()
    {
        using var pipeline = new ModePipeline();
        pipeline.Model.eval();
        pipeline.Fit(new IndexBatches(1), null);
        Assert.Equal(["train True/True/True/grad=True"], pipeline.Seen);
    }

    [Fact]
    public void Invalid_options_are_rejected_before_training()
    {
        using var pipeline = new RecordingPipeline();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => pipeline.Fit(new IndexBatches(1), null, new FitOptions { AccumulateGradBatches = 0 }));
        Assert.Equal("AccumulateGradBatches", error.ParamName);
        Assert.Throws<ArgumentException>(() => pipeline.Fit(new IndexBatches(0), null));
        Assert.Empty(pipeline.Calls);
    }

    [Fact]
    public void The_engine_allocates_nothing_per_iteration_beyond_TorchSharps_calls()
    {
        using var pipeline = new AllocationProbe();
        // Fit's default callbacks (model summary, progress bar, metrics table) are on; writing to TextWriter.Null, the bar draws no line.
        pipeline.Fit(new IndexBatches(4000), new FitOptions { Output = TextWriter.Null });
        // Three windows of 1000 steady-state iterations: dispose scope, zero_grad, step, backward, handler filters and calls.
        var windows = pipeline.Windows();
        Assert.Equal(3, windows.Length);
        var baseline = TorchSharpAllocations.LoopPer1000(clip: false, accumulate: 1);
        Assert.True(windows.Min() <= baseline,
            $"bytes allocated per 1000-iteration window: {string.Join(", ", windows)}; TorchSharp's dispose scope and backward alone: {baseline}");
    }

    [Fact]
    public void A_drawing_progress_bar_averages_the_loss_with_no_tensor_wrapper_per_iteration()
    {
        using var pipeline = new AllocationProbe();
        // A bar that writes (no line due within the run): what it does every iteration is the loss's moving average on the device.
        using var bar = new ProgressBar(new ProgressBarOptions { Mode = ProgressMode.Plain, PlainEvery = 1_000_000 });
        pipeline.Fit(new IndexBatches(4000), new FitOptions { Output = new StringWriter(), Callbacks = [bar] });
        var windows = pipeline.Windows();
        var baseline = TorchSharpAllocations.LoopPer1000(clip: false, accumulate: 1);
        // In-place mul_/add_ with scalars made once: what remains is TorchSharp's no_grad guard (24 bytes), not a detached or converted loss.
        Assert.True(windows.Min() <= baseline + 32 * 1000,
            $"bytes allocated per 1000-iteration window with a drawing progress bar: {string.Join(", ", windows)}; TorchSharp's dispose scope and backward alone: {baseline}");
        Assert.NotNull(bar.LastLine);
    }

    [Fact]
    public void Six_callbacks_add_no_allocation_per_iteration()
    {
        var directory = Directory.CreateTempSubdirectory("pipelines-callbacks-").FullName;
        try
        {
            using var pipeline = new CallbackAllocationProbe();
            var result = pipeline.Fit(new IndexBatches(4000), new IndexBatches(1), new FitOptions { RunDirectory = directory, Output = TextWriter.Null });
            // Every callback ran: the schedule stepped per optimizer step, the user's callback per iteration, the loggers opened their files.
            Assert.Equal(4000, pipeline.Counter.Calls);
            Assert.Equal(4000, pipeline.Schedule.LastEpoch);
            Assert.True(File.Exists(Path.Combine(directory, CsvLogger.FileName)));
            Assert.Single(Directory.GetFiles(directory, "events.out.tfevents.*"));
            Assert.NotNull(result.Metrics.ValidationLoss);
            var windows = pipeline.Windows();
            Assert.Equal(3, windows.Length);
            var baseline = TorchSharpAllocations.LoopPer1000(clip: false, accumulate: 1);
            Assert.True(windows.Min() <= baseline,
                $"bytes allocated per 1000-iteration window with six callbacks: {string.Join(", ", windows)}; TorchSharp's dispose scope and backward alone: {baseline}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
