namespace Pipelines.Runtime.Tests.Checkpoints;

/// <summary>
/// The suite's short soak (bench/reliability.sh runs the long one and reports the resident set):
/// a generated pipeline with dropout, Adam, metrics, a scheduler and early stopping, over a
/// shuffling BatchLoader (no prefetch: batches in flight on the loader thread would make the count move by a few), writing a checkpoint every 500 iterations, trains 3,200
/// iterations; the number of live tensors is the same at iteration 500 and at the end, and once it is
/// disposed it leaves exactly as many tensors alive as a one-epoch run does. It runs alone (its collection is
/// not parallel), since the count is process-wide.
/// </summary>
[Collection(GlobalRandomState.Name)]
public sealed class SoakTests
{
    const int Epochs = 400;   // 8 batches per epoch

    [Fact]
    public void Live_tensors_stay_flat_over_thousands_of_iterations_and_return_to_zero() => ScalarRace.Retry(LiveTensorsStayFlat);

    static void LiveTensorsStayFlat()
    {
        using var dir = new TempDirectory();
        // A short run first: what one Fit leaves alive after it is disposed (today a few tensors that
        // stay reachable, see docs/reliability.md) must not depend on how long it ran.
        using (var warmup = new GeneratedResumeTests.Run(initSeed: 1, prefetch: 0))
            warmup.Fit(GeneratedResumeTests.Options(epochs: 1));
        var beforeShort = LiveTensors();
        using (var shortRun = new GeneratedResumeTests.Run(initSeed: 1, prefetch: 0))
            shortRun.Fit(GeneratedResumeTests.Options(dir.File("short"), every: 500, epochs: 1));
        var leftByShortRun = LiveTensors() - beforeShort;
        var before = LiveTensors();
        var samples = new Dictionary<int, long>();
        int iterations;
        using (var run = new GeneratedResumeTests.Run(initSeed: 1, prefetch: 0, patience: 100_000))
        {
            run.Pipeline.AfterIteration = iteration =>
            {
                if (iteration % 500 == 0 || iteration == Epochs * 8)
                    samples[iteration] = torch.Tensor.TotalCount;
            };
            iterations = run.Fit(GeneratedResumeTests.Options(dir.File("long"), every: 500, epochs: Epochs)).Iterations;
        }
        Assert.Equal(Epochs * 8, iterations);
        Assert.Equal(7, samples.Count);
        var first = samples[500];
        foreach (var (iteration, live) in samples.OrderBy(s => s.Key))
            Assert.True(live == first, $"{live} live tensors at iteration {iteration}, {first} at iteration 500: tensors accumulate");
        Assert.Equal(leftByShortRun, LiveTensors() - before);
    }

    /// <summary>Live tensors once the finalizers of unreachable wrappers have run.</summary>
    static long LiveTensors()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return torch.Tensor.TotalCount;
    }
}
