using Pipelines.Data;
using TorchSharp;

namespace Pipelines.Distributed.Host;

/// <summary>
/// Interruptions of a Ddp run. "cancel-validation": ClassifierPipeline for 3 epochs, validated after
/// each; rank 1's cancellation token is cancelled while it validates (at the second batch of the
/// first pass), rank 0's never. "ctrl-c": RegressionPipeline for as many epochs as it takes, given
/// a ConsoleInterrupt's token; rank 0 prints "ready" after its first iteration, and the test sends
/// SIGINT to the launcher. Every rank prints its counters and whether its run was interrupted.
/// </summary>
internal static class Interruption
{
    public static int ConsoleInterrupted(DataShard launcher)
    {
        torch.manual_seed(1);
        using var inputs = torch.randn(1024, 16);
        using var targets = inputs.sum(1, keepdim: true);
        using var train = new BatchLoader(inputs, targets, new BatchLoaderOptions { BatchSize = 64, Shuffle = true, Seed = 7 });
        using var pipeline = new RegressionPipeline(learningRate: 0.01);
        using var interrupt = ConsoleInterrupt.Silent();
        pipeline.AfterIteration = state =>
        {
            if (state.Iteration == 1 && launcher.Rank == 0)
                Console.WriteLine("ready");
        };
        var result = pipeline.Fit(train, options: new FitOptions { MaxEpochs = 1_000_000, Strategy = TrainingStrategy.Ddp, Output = TextWriter.Null }, interrupt.Token);
        Console.WriteLine($"rank {launcher.Rank} of {launcher.WorldSize}: interrupted={result.Interrupted} signals={interrupt.Signals} iterations={result.Iterations}");
        return 0;
    }

    public static int ValidationCancelled(DataShard launcher)
    {
        torch.manual_seed(3);
        using var inputs = torch.randn(512, 8);
        using var targets = inputs.narrow(1, 0, 3).argmax(1);
        using var train = new BatchLoader(inputs, targets, new BatchLoaderOptions { BatchSize = 32, Shuffle = true, Seed = 5 });
        using var validationLoader = new BatchLoader(inputs, targets, new BatchLoaderOptions { BatchSize = 32 });
        using var cancellation = new CancellationTokenSource();
        var validation = new CancellingSource(validationLoader, launcher.Rank == 1 ? cancellation : null);
        using var pipeline = new ClassifierPipeline();
        var result = pipeline.Fit(train, validation, new FitOptions { MaxEpochs = 3, Strategy = TrainingStrategy.Ddp, Output = TextWriter.Null }, cancellation.Token);
        Console.WriteLine($"rank {launcher.Rank} of {launcher.WorldSize}: iterations={result.Iterations} interrupted={result.Interrupted} validations={validation.Passes}");
        return 0;
    }

    /// <summary>Delivers <paramref name="inner"/>'s batches; cancels <paramref name="cancellation"/> (when given) at the second batch of the first pass.</summary>
    sealed class CancellingSource(IBatchSource<Batch> inner, CancellationTokenSource? cancellation) : IBatchSource<Batch>
    {
        public int Passes { get; private set; }

        public int Count => inner.Count;

        public void StartPass()
        {
            Passes++;
            inner.StartPass();
        }

        public Batch GetBatch(int index)
        {
            if (Passes == 1 && index == 1)
                cancellation?.Cancel();
            return inner.GetBatch(index);
        }
    }
}
