namespace Pipelines.Runtime.Tests.Engine;

/// <summary>
/// Handler calls over 3 epochs of 5 iterations (global iterations 1..15), against what PyTorch
/// Ignite's filters give: every(n) fires when counter % n == 0; once(n) at n; before/after are
/// exclusive; with a bound, every counts from after + 1.
/// </summary>
public sealed class EventFilterTests
{
    static RecordingPipeline Run(FitOptions? options = null, int batches = 5, int validationBatches = 2)
    {
        var pipeline = new RecordingPipeline();
        pipeline.Fit(new IndexBatches(batches), new IndexBatches(validationBatches), options ?? new FitOptions { MaxEpochs = 3 });
        return pipeline;
    }

    public static TheoryData<string, int[]> Table => new()
    {
        { "Started", [0] },
        { "EpochStarted", [1, 2, 3] },
        { "EpochStartedOnce3", [3] },
        { "IterationStarted", Enumerable.Range(1, 15).ToArray() },
        { "IterationStartedEvery5", [5, 10, 15] },
        { "BackwardCompleted", Enumerable.Range(1, 15).ToArray() },
        { "BackwardCompletedBefore3", [1, 2] },
        { "IterationCompleted", Enumerable.Range(1, 15).ToArray() },
        { "IterationCompletedEvery3", [3, 6, 9, 12, 15] },
        { "IterationCompletedOnce4", [4] },
        { "IterationCompletedBefore4", [1, 2, 3] },
        { "IterationCompletedAfter12", [13, 14, 15] },
        { "IterationCompletedWindow", [4, 6, 8, 10] },
        { "IterationCompletedEvery4Before12", [1, 5, 9] },
        { "ValidationStarted", [1, 2, 3] },
        { "ValidationCompleted", [1, 2, 3] },
        { "EpochCompleted", [1, 2, 3] },
        { "EpochCompletedEvery2", [2] },
        { "EpochCompletedAfter1", [2, 3] },
        { "Terminated", [] },
        { "Completed", [3] },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Handler_fires_at_the_counters_Ignite_gives(string handler, int[] expected)
    {
        using var pipeline = Run();
        Assert.Equal(expected, pipeline.CallsOf(handler));
    }

    [Fact]
    public void Events_fire_in_Ignite_order()
    {
        using var pipeline = Run(new FitOptions { MaxEpochs = 1 }, batches: 2, validationBatches: 1);
        var unfiltered = new[] { "Started", "EpochStarted", "IterationStarted", "BackwardCompleted", "IterationCompleted", "ValidationStarted", "ValidationCompleted", "EpochCompleted", "Completed" };
        var order = pipeline.Calls.Where(c => unfiltered.Contains(c.Handler)).Select(c => $"{c.Handler} {c.Counter}");
        Assert.Equal(
        [
            "Started 0", "EpochStarted 1",
            "IterationStarted 1", "BackwardCompleted 1", "IterationCompleted 1",
            "IterationStarted 2", "BackwardCompleted 2", "IterationCompleted 2",
            "ValidationStarted 1", "ValidationCompleted 1", "EpochCompleted 1", "Completed 1",
        ], order);
    }

    [Fact]
    public void Result_reports_the_counters()
    {
        var pipeline = new RecordingPipeline();
        using (pipeline)
        {
            var result = pipeline.Fit(new IndexBatches(5), null, new FitOptions { MaxEpochs = 3 });
            Assert.Equal((3, 15, 15, false), (result.Epochs, result.Iterations, result.OptimizerSteps, result.Terminated));
            Assert.True(result.Elapsed > TimeSpan.Zero);
        }
    }
}
