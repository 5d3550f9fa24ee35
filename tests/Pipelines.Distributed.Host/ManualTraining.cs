using System.Globalization;
using Pipelines.Data;
using static TorchSharp.torch;

namespace Pipelines.Distributed.Host;

/// <summary>
/// The "train" mode with <c>manual=true</c>: ManualRegressionPipeline on Training's data, batches and
/// initialization, for <c>epochs</c> (2) epochs with <c>strategy</c> ddp or single and <c>precision</c>
/// (32-true); <c>reduce=false</c> leaves the step's ReduceGradients out; <c>inf-at</c> multiplies the
/// loss of that iteration by infinity on rank <c>inf-rank</c> (or <c>all</c>). Rank 0 writes the final
/// parameters to <c>output</c>, one float per line, and prints the counters.
/// </summary>
internal static class ManualTraining
{
    public static int Run(Dictionary<string, string> settings, DataShard launcher, BatchLoader train, Device? device)
    {
        var infRank = settings.GetValueOrDefault("inf-rank", "all");
        using var pipeline = new ManualRegressionPipeline(learningRate: 0.05, device)
        {
            ReducesGradients = settings.GetValueOrDefault("reduce", "true") == "true",
            InfiniteLossAt = infRank == "all" || infRank == launcher.Rank.ToString(CultureInfo.InvariantCulture)
                ? int.Parse(settings.GetValueOrDefault("inf-at", "0"), CultureInfo.InvariantCulture)
                : 0,
        };
        var result = pipeline.Fit(train, options: new FitOptions
        {
            MaxEpochs = int.Parse(settings.GetValueOrDefault("epochs", "2"), CultureInfo.InvariantCulture),
            Strategy = settings.GetValueOrDefault("strategy", "ddp") == "ddp" ? TrainingStrategy.Ddp : TrainingStrategy.SingleProcess,
            Precision = PrecisionMode.Parse(settings.GetValueOrDefault("precision", "32-true")),
            Device = device,
        });
        if (launcher.Rank == 0 && settings.TryGetValue("output", out var output))
            File.WriteAllLines(output, pipeline.Parameters().Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        Console.WriteLine($"rank {launcher.Rank} of {launcher.WorldSize}: iterations={result.Iterations} terminated={result.Terminated}");
        return 0;
    }
}
