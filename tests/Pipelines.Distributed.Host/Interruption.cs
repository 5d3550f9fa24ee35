using Pipelines.Data;
using TorchSharp;

namespace Pipelines.Distributed.Host;

/// <summary>
/// The "cancel-validation" mode: ClassifierPipeline for 3 epochs under Ddp, validated after each;
/// rank 1's cancellation token is cancelled while it validates (at the second batch of the first
/// pass), rank 0's never. Every rank prints its counters and whether its run was interrupted.
/// </summary>
internal static class Interruption
{
    public static int Run(DataShard launcher)
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
