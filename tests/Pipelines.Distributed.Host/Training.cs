using System.Globalization;
using Pipelines.Data;
using TorchSharp;

namespace Pipelines.Distributed.Host;

/// <summary>
/// The "train" mode: RegressionPipeline for <c>epochs</c> (2) epochs on 1024 fixed examples
/// (shuffled, seed 7) in batches of <c>batch</c>, with <c>strategy</c> ddp or single,
/// <c>accumulate</c>, <c>clip</c> (a norm or none), <c>checkpoints</c> (a directory) and
/// <c>resume</c> (a file), <c>device</c> (cpu or cuda: the GPU of the rank's MPI_LOCALRANKID). The initialization is drawn from seed 100 + the launcher's rank, so that
/// ranks start apart and rank 0's broadcast has work to do. <c>fail=throw|kill|terminate</c> with
/// <c>fail-rank</c> and <c>fail-at</c> makes that rank throw, die by SIGKILL or ask the run to stop
/// after that iteration. Rank 0 writes the final parameters to <c>output</c>, one float per line,
/// and prints the counters.
/// </summary>
internal static class Training
{
    public static int Run(Dictionary<string, string> settings, DataShard launcher)
    {
        string Setting(string key, string fallback) => settings.GetValueOrDefault(key, fallback);
        int Number(string key, int fallback) => int.Parse(Setting(key, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        torch.manual_seed(1);
        using var inputs = torch.randn(1024, 16);
        using var targets = (inputs.sum(1, keepdim: true) * 0.3).sin();
        // device=cuda: each rank on the GPU of its local rank, gradients over NCCL.
        var device = Setting("device", "cpu") == "cuda" ? torch.device(DeviceType.CUDA, int.Parse(Environment.GetEnvironmentVariable("MPI_LOCALRANKID") ?? "0", CultureInfo.InvariantCulture)) : null;
        using var train = new BatchLoader(inputs, targets, new BatchLoaderOptions { BatchSize = Number("batch", 64), Shuffle = true, Seed = 7, Device = device });
        torch.manual_seed(100 + launcher.Rank);
        if (Setting("manual", "false") == "true")
            return ManualTraining.Run(settings, launcher, train, device);
        using var pipeline = new RegressionPipeline(learningRate: 0.05, device);
        if (settings.TryGetValue("fail", out var fail) && Number("fail-rank", 1) == launcher.Rank)
        {
            var at = Number("fail-at", 3);
            pipeline.AfterIteration = state =>
            {
                if (state.Iteration != at)
                    return;
                if (fail == "kill")
                    System.Diagnostics.Process.GetCurrentProcess().Kill();
                if (fail == "throw")
                    throw new InvalidOperationException($"boom at iteration {at}");
                state.Terminate();
            };
        }
        var clip = Setting("clip", "none");
        var result = pipeline.Fit(train, options: new FitOptions
        {
            MaxEpochs = Number("epochs", 2),
            Strategy = Setting("strategy", "ddp") == "ddp" ? TrainingStrategy.Ddp : TrainingStrategy.SingleProcess,
            AccumulateGradBatches = Number("accumulate", 1),
            GradientClipNorm = clip == "none" ? null : double.Parse(clip, CultureInfo.InvariantCulture),
            Checkpoints = settings.TryGetValue("checkpoints", out var directory) ? new CheckpointOptions { Directory = directory } : null,
            ResumeFrom = settings.GetValueOrDefault("resume"),
            Device = device,
        });
        if (launcher.Rank == 0 && settings.TryGetValue("output", out var output))
            File.WriteAllLines(output, pipeline.Parameters().Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        Console.WriteLine($"rank {launcher.Rank} of {launcher.WorldSize}: iterations={result.Iterations} terminated={result.Terminated}");
        return 0;
    }
}
