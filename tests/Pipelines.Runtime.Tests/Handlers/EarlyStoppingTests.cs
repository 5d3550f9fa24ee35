using Pipelines.Handlers;
using Pipelines.Metrics;

namespace Pipelines.Runtime.Tests.Handlers;

public sealed class EarlyStoppingTests
{
    static readonly MetricKey Loss = new(0, "val/loss");

    [Theory]
    // mode, patience, min_delta, values -> the check (1-based) at which it stops, 0 = never
    [InlineData(MonitorMode.Min, 2, 0.0, new[] { 1.0, 0.9, 0.8, 0.85, 0.8 }, 5)]
    [InlineData(MonitorMode.Min, 3, 0.0, new[] { 1.0, 0.9, 0.8, 0.85, 0.8 }, 0)]
    [InlineData(MonitorMode.Min, 2, 0.0, new[] { 1.0, 1.1, 0.9, 1.2, 0.95 }, 5)]
    [InlineData(MonitorMode.Min, 2, 0.0, new[] { 1.0, 1.1, 0.9, 1.2, 0.85, 0.84 }, 0)]
    [InlineData(MonitorMode.Min, 2, 0.05, new[] { 1.0, 0.96, 0.97 }, 3)]
    [InlineData(MonitorMode.Min, 2, 0.05, new[] { 1.0, 0.94, 0.90 }, 0)]
    [InlineData(MonitorMode.Max, 1, 0.0, new[] { 0.5, 0.6, 0.6 }, 3)]
    [InlineData(MonitorMode.Max, 2, 0.01, new[] { 0.5, 0.505, 0.52, 0.525, 0.529 }, 5)]
    [InlineData(MonitorMode.Max, 1, 0.0, new[] { 0.5, double.NaN }, 2)]
    [InlineData(MonitorMode.Min, 5, 0.0, new[] { 0.5, double.PositiveInfinity }, 2)]
    public void Stops_after_patience_checks_without_an_improvement_beyond_min_delta(MonitorMode mode, int patience, double minDelta, double[] values, int stopsAt)
    {
        var early = new EarlyStopping(Loss, mode, patience, minDelta);
        var stoppedAt = 0;
        for (var i = 0; i < values.Length && stoppedAt == 0; i++)
            if (early.Step(values[i]))
                stoppedAt = i + 1;
        Assert.Equal(stopsAt, stoppedAt);
        Assert.Equal(stopsAt != 0, early.Stopped);
        Assert.Equal(stopsAt != 0, early.Reason is not null);
    }

    [Fact]
    public void The_reason_names_the_best_value_and_when_it_was_seen()
    {
        var early = new EarlyStopping(Loss, MonitorMode.Max, 2);
        early.Step(0.7);
        early.Step(0.8);
        early.Step(0.75);
        early.Step(0.79);
        Assert.Equal("Early stopping: val/loss did not improve by more than 0 for 2 checks; best 0.8 at check 2.", early.Reason);
        Assert.Equal(new EarlyStoppingState(0.8, 2, 4, 2, true), early.GetState());
    }

    [Fact]
    public void As_a_callback_it_reads_its_metric_when_validation_completes_and_terminates_the_run()
    {
        var metrics = new MetricValues([Loss]);
        var output = new StringWriter();
        var run = new RunDriver(batchesPerEpoch: 1, metrics: metrics, output: output);
        var early = new EarlyStopping(Loss, MonitorMode.Min, patience: 1);
        run.StartEpoch();
        metrics.Set(Loss, 1.0, 1);
        early.OnValidationCompleted(run.State);
        Assert.False(run.Run.TerminateRequested);
        run.StartEpoch();
        metrics.Set(Loss, 1.0, 2);
        early.OnValidationCompleted(run.State);
        Assert.True(run.Run.TerminateRequested);
        Assert.Equal("epoch 2: Early stopping: val/loss did not improve by more than 0 for 1 checks; best 1 at check 1.", output.ToString().Trim());
        var other = new MetricKey(0, "val/accuracy");
        Assert.Contains("not one of this pipeline's (val/loss)", Assert.Throws<ArgumentException>(() => new EarlyStopping(other, MonitorMode.Max).OnValidationCompleted(run.State)).Message);
    }

    [Fact]
    public void A_restored_state_continues_the_count()
    {
        var first = new EarlyStopping(Loss, MonitorMode.Min, 3);
        first.Step(1.0);
        first.Step(1.2);
        first.Step(1.1);
        var resumed = new EarlyStopping(Loss, MonitorMode.Min, 3);
        resumed.LoadState(first.GetState());
        Assert.Equal(1.0, resumed.Best);
        Assert.Equal(2, resumed.Wait);
        Assert.True(resumed.Step(1.05));
        Assert.Throws<ArgumentException>(() => resumed.LoadState(new EarlyStoppingState(1, 5, 3, 0, false)));
    }

    [Fact]
    public void A_metric_that_was_not_computed_is_an_error_not_a_silent_improvement()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new EarlyStopping(Loss, MonitorMode.Min, 2).Step(null));
        Assert.Contains("not been computed", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping(Loss, MonitorMode.Min, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping(Loss, MonitorMode.Min, 1, minDelta: -1));
    }
}
