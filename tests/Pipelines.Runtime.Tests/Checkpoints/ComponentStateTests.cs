using Pipelines.Checkpoints;
using Pipelines.Handlers;
using Pipelines.Metrics;
using Pipelines.Schedulers;
using static Pipelines.Runtime.Tests.Checkpoints.CheckpointFixtures;
using static TorchSharp.torch.nn;

namespace Pipelines.Runtime.Tests.Checkpoints;

/// <summary>The ICheckpointState implementations the generated Fit registers, each through a real checkpoint file.</summary>
[Collection(GlobalRandomState.Name)]
public sealed class ComponentStateTests
{
    [Fact]
    public void EarlyStopping_keeps_its_best_and_patience()
    {
        var early = new EarlyStopping(new MetricKey(0, "val/loss"), MonitorMode.Min, patience: 3);
        foreach (var value in new[] { 1.0, 0.5, 0.7, 0.8 })
            early.Step(value);
        var restored = new EarlyStopping(new MetricKey(0, "val/loss"), MonitorMode.Min, patience: 3);
        RoundTrip(early, restored);
        Assert.Equal(early.GetState(), restored.GetState());
        Assert.True(restored.Step(0.9));   // the third check without improvement: patience carried over
    }

    [Fact]
    public void A_scheduler_restores_its_step_and_rates_and_refuses_another_type()
    {
        using var model = Linear(2, 1);
        using var sgd = torch.optim.SGD(model.parameters(), 0.1);
        var schedule = new StepLR(sgd, stepSize: 2, gamma: 0.5);
        for (var i = 0; i < 5; i++)
            schedule.Step();
        using var model2 = Linear(2, 1);
        using var sgd2 = torch.optim.SGD(model2.parameters(), 0.1);
        var restored = new StepLR(sgd2, stepSize: 2, gamma: 0.5);
        RoundTrip(schedule, restored);
        Assert.Equal(schedule.GetState().LastEpoch, restored.GetState().LastEpoch);
        Assert.Equal(OptimizerGroups.Rate(sgd), OptimizerGroups.Rate(sgd2));

        var other = new ExponentialLR(sgd2, gamma: 0.9);
        var error = Assert.Throws<CheckpointException>(() => RoundTrip(schedule, other));
        Assert.Contains("StepLR", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metric_accumulators_resume_bitwise()
    {
        torch.manual_seed(3);
        var values = Enumerable.Range(0, 6).Select(_ => torch.randn(5)).ToList();
        using var mean = new Mean();
        using var average = new RunningAverage(alpha: 0.9);
        using var mean2 = new Mean();
        using var average2 = new RunningAverage(alpha: 0.9);
        for (var i = 0; i < 3; i++)
        {
            mean.Update(values[i]);
            average.Update(values[i]);
        }
        RoundTrip(mean, mean2);
        RoundTrip(average, average2);
        Assert.Equal(mean.Compute(), mean2.Compute());
        Assert.Equal(average.Compute(), average2.Compute());
        for (var i = 3; i < 6; i++)
        {
            mean.Update(values[i]);
            average.Update(values[i]);
            mean2.Update(values[i]);
            average2.Update(values[i]);
        }
        Assert.Equal(BitConverter.DoubleToInt64Bits(mean.Compute()), BitConverter.DoubleToInt64Bits(mean2.Compute()));
        Assert.Equal(BitConverter.DoubleToInt64Bits(average.Compute()), BitConverter.DoubleToInt64Bits(average2.Compute()));
        using var otherAlpha = new RunningAverage(alpha: 0.5);
        Assert.Throws<CheckpointException>(() => RoundTrip(average, otherAlpha));
        foreach (var v in values)
            v.Dispose();
    }

    static float[] First(BatchLoader loader, int index)
    {
        using var scope = torch.NewDisposeScope();
        return loader.GetBatch(index).Input.data<float>().ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void A_restored_DataLoader_continues_its_pass_and_then_starts_the_next_one(int prefetch)
    {
        using var inputs = torch.arange(64, ScalarType.Float32).reshape(32, 2);
        using var targets = torch.zeros(32);
        BatchLoader Make() => new(inputs, targets, new BatchLoaderOptions { BatchSize = 4, Shuffle = true, Seed = 11, PrefetchBatches = prefetch });
        using var original = Make();
        original.StartPass();
        for (var i = 0; i < 3; i++)
            First(original, i);
        using var restored = Make();
        using var atBoundary = Make();
        RoundTrip(original, restored);
        RoundTrip(original, atBoundary);
        // Mid-pass: the same batches from index 3 on, without a StartPass.
        Assert.Equal(First(original, 3), First(restored, 3));
        // At a boundary reached early (LimitTrainBatches = 3): the next StartPass starts pass 2, it does not replay pass 1.
        original.StartPass();
        atBoundary.StartPass();
        Assert.Equal(First(original, 0), First(atBoundary, 0));
        Assert.Equal(original.State, atBoundary.State);

        using var smaller = new BatchLoader(inputs, targets, new BatchLoaderOptions { BatchSize = 8, Shuffle = true, Seed = 11 });
        var error = Assert.Throws<CheckpointException>(() => RoundTrip(original, smaller));
        Assert.Contains("count", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_refuses_counters_that_do_not_fit_its_batches()
    {
        using var run = new PipelineRun(new FitOptions { MaxEpochs = 3 }, trainBatches: 5, validationBatches: 0);
        Assert.Throws<ArgumentException>(() => run.Resume(new CheckpointCounters(1, 6, 6, 6)));
        run.Resume(new CheckpointCounters(2, 8, 3, 8));
        Assert.True(run.StartEpoch());
        Assert.True(run.EpochResumed);
        Assert.Equal((2, 3), (run.Epoch, run.EpochIteration));
        Assert.True(run.StartIteration());
        Assert.Equal((9, 4), (run.Iteration, run.EpochIteration));
        Assert.Throws<InvalidOperationException>(() => run.Resume(default));
    }
}
