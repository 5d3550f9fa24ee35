using System.Globalization;
using Pipelines.Data;
using static TorchSharp.torch;

namespace Pipelines.Distributed.Host;

/// <summary>
/// The "train" mode with <c>manual=true</c>: ManualRegressionPipeline on Training's data, batches and
/// initialization, for <c>epochs</c> (2) epochs with <c>strategy</c> ddp or single; <c>reduce=false</c>
/// leaves the step's ReduceGradients out. Rank 0 writes the final parameters to <c>output</c>, one
/// float per line, and prints the counters.
/// </summary>
internal static class ManualTraining
{
    public static int Run(Dictionary<string, string> settings, DataShard launcher, BatchLoader train, Device? device)
    {
        using var pipeline = new ManualRegressionPipeline(learningRate: 0.05, device) { ReducesGradients = settings.GetValueOrDefault("reduce", "true") == "true" };
        var result = pipeline.Fit(train, options: new FitOptions
        {
            MaxEpochs = int.Parse(settings.GetValueOrDefault("epochs", "2"), CultureInfo.InvariantCulture),
            Strategy = settings.GetValueOrDefault("strategy", "ddp") == "ddp" ? TrainingStrategy.Ddp : TrainingStrategy.SingleProcess,
            Device = device,
        });
        if (launcher.Rank == 0 && settings.TryGetValue("output", out var output))
            File.WriteAllLines(output, pipeline.Parameters().Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        Console.WriteLine($"rank {launcher.Rank} of {launcher.WorldSize}: iterations={result.Iterations} terminated={result.Terminated}");
        return 0;
    }
}
