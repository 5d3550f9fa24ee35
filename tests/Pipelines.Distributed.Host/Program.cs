using System.Globalization;
using Pipelines;
using Pipelines.Data;
using Pipelines.Distributed.Host;
using TorchSharp;

// regression <output> <batch> <ddp|single> <accumulate> <clip-norm|none>: trains RegressionPipeline
// for 2 epochs on 1024 fixed examples (shuffled, seed 7) with an initialization drawn from seed
// 100 + the launcher's rank (so that ranks start apart and rank 0's broadcast has work to do);
// rank 0 writes the final parameters to <output>, one float per line.
// validate <output> <ddp|single>: the validation metrics of ClassifierPipeline (the same initial
// weights on every rank) over 1000 fixed examples, each rank on its shard of batches of 50; rank 0
// writes accuracy, mean loss and macro F1.
torch.set_num_threads(1);
var launcher = DataShard.Launcher;
if (args is ["validate", var metricsOutput, var validateStrategy])
    return Validation.Run(metricsOutput, validateStrategy == "ddp", launcher);
if (args is not ["regression", var output, var batchText, var strategyText, var accumulateText, var clipText])
{
    Console.Error.WriteLine("usage: Pipelines.Distributed.Host regression <output> <batch> <ddp|single> <accumulate> <clip-norm|none> | validate <output> <ddp|single>");
    return 2;
}
torch.manual_seed(1);
using var inputs = torch.randn(1024, 16);
using var targets = (inputs.sum(1, keepdim: true) * 0.3).sin();
using var train = new BatchLoader(inputs, targets, new BatchLoaderOptions
{
    BatchSize = int.Parse(batchText, CultureInfo.InvariantCulture),
    Shuffle = true,
    Seed = 7,
});
torch.manual_seed(100 + launcher.Rank);
using var pipeline = new RegressionPipeline(learningRate: 0.05);
pipeline.Fit(train, options: new FitOptions
{
    MaxEpochs = 2,
    Strategy = strategyText == "ddp" ? TrainingStrategy.Ddp : TrainingStrategy.SingleProcess,
    AccumulateGradBatches = int.Parse(accumulateText, CultureInfo.InvariantCulture),
    GradientClipNorm = clipText == "none" ? null : double.Parse(clipText, CultureInfo.InvariantCulture),
});
if (launcher.Rank == 0)
    File.WriteAllLines(output, pipeline.Parameters().Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
Console.WriteLine($"rank {launcher.Rank} of {launcher.WorldSize}: done");
return 0;
