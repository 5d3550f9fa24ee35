using Pipelines.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Checkpoints.KillChild;

/// <summary>A generated pipeline, long enough never to finish on its own, for CtrlCTests.</summary>
[Pipeline]
internal sealed partial class SigintPipeline : IDisposable
{
    [Model] readonly Sequential model = Sequential(Linear(32, 64), ReLU(), Linear(64, 1));
    [Optimizer] readonly Adam optimizer;

    public SigintPipeline() => optimizer = torch.optim.Adam(model.parameters(), 1e-3);

    /// <summary>Called after every iteration with the global iteration.</summary>
    public Action<int>? AfterIteration { get; set; }

    [TrainingStep]
    Tensor Train(Batch batch) => functional.mse_loss(model.call(batch.Input), batch.Target);

    [OnEvent(Events.IterationCompleted)]
    void Completed(in PipelineState state) => AfterIteration?.Invoke(state.Iteration);

    public void Dispose()
    {
        optimizer.Dispose();
        model.Dispose();
    }
}

/// <summary>
/// "sigint" mode: trains until SIGINT, then reports "interrupted=True iteration=N checkpoint=PATH"
/// and exits 0. With "hang", the iteration after the first SIGINT never ends (it sleeps), so only a
/// second SIGINT can end the process.
/// </summary>
internal static class SigintChild
{
    public static int Run(string directory, bool hang)
    {
        using var interrupt = new ConsoleInterrupt(Console.Out);
        torch.manual_seed(1);
        using var inputs = torch.randn(4096, 32);
        using var targets = torch.randn(4096, 1);
        using var train = new BatchLoader(inputs, targets, new BatchLoaderOptions { BatchSize = 32, Shuffle = true, Seed = 7 });
        using var pipeline = new SigintPipeline();
        pipeline.AfterIteration = iteration =>
        {
            if (iteration == 1)
                Console.WriteLine("ready");
            if (hang && interrupt.Signals > 0)
            {
                Console.WriteLine("hanging");
                Thread.Sleep(TimeSpan.FromMinutes(5));
            }
        };
        var result = pipeline.Fit(train, new FitOptions
        {
            MaxEpochs = 100_000,
            Seed = 42,
            Checkpoints = new CheckpointOptions { Directory = directory },
            // The parent reads this process's lines as a protocol: no summary, bar or table among them.
            EnableModelSummary = false,
            EnableProgressBar = false,
            EnableMetricsTable = false,
        }, interrupt.Token);
        Console.WriteLine($"interrupted={result.Interrupted} iteration={result.Iterations} checkpoint={result.LastCheckpoint}");
        return result.Interrupted ? 0 : 1;
    }
}
