using Pipelines.Data;
using TorchSharp;

namespace Pipelines.Distributed.Host;

/// <summary>
/// The "allocation" mode: RegressionPipeline for 3 epochs of 1,000 iterations (128,000 examples,
/// batch 64 per rank), without the strategy (twice: the first run warms up) and under Ddp, in the
/// same process on the same shard; prints the bytes this thread allocated in each 1,000-iteration window after the
/// first, per run, as "single=a,b ddp=c,d".
/// </summary>
internal static class Allocation
{
    const int Window = 1000;

    public static int Run(DataShard launcher)
    {
        torch.manual_seed(1);
        using var inputs = torch.randn(128_000, 16);
        using var targets = inputs.sum(1, keepdim: true);
        // A first run warms the JIT's tiers up, so that the two measured runs compile nothing.
        Windows(inputs, targets, launcher, TrainingStrategy.SingleProcess);
        var single = Windows(inputs, targets, launcher, TrainingStrategy.SingleProcess);
        var ddp = Windows(inputs, targets, launcher, TrainingStrategy.Ddp);
        Console.WriteLine($"rank {launcher.Rank} of {launcher.WorldSize}: single={string.Join(',', single)} ddp={string.Join(',', ddp)}");
        return 0;
    }

    static long[] Windows(torch.Tensor inputs, torch.Tensor targets, DataShard launcher, TrainingStrategy strategy)
    {
        using var train = new BatchLoader(inputs, targets, new BatchLoaderOptions { BatchSize = 64 * 2 / launcher.WorldSize, Shuffle = true, Seed = 7 });
        torch.manual_seed(100);
        using var pipeline = new RegressionPipeline(learningRate: 0.01);
        var allocated = new List<long>(capacity: 8);
        pipeline.AfterIteration = state =>
        {
            if (state.Iteration % Window == 0)
                allocated.Add(GC.GetAllocatedBytesForCurrentThread());
        };
        pipeline.Fit(train, options: new FitOptions { MaxEpochs = 3, Strategy = strategy, Output = TextWriter.Null });
        return [.. allocated.Zip(allocated.Skip(1), (a, b) => b - a)];
    }
}
