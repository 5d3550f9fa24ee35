using Pipelines.Data;
using Pipelines.Distributed.Host;
using TorchSharp;

// train key=value...: trains RegressionPipeline (Training.cs); validate <output> <ddp|single>:
// the validation metrics of ClassifierPipeline (Validation.cs); cancel-validation, ctrl-c:
// interruptions (Interruption.cs); allocation: bytes per iteration with and without Ddp
// (Allocation.cs). Rank 0 writes the results.
torch.set_num_threads(1);
var launcher = DataShard.Launcher;
if (args is ["validate", var metricsOutput, var validateStrategy])
    return Validation.Run(metricsOutput, validateStrategy == "ddp", launcher);
if (args is ["cancel-validation"])
    return Interruption.ValidationCancelled(launcher);
if (args is ["ctrl-c"])
    return Interruption.ConsoleInterrupted(launcher);
if (args is ["allocation"])
    return Allocation.Run(launcher);
if (args is ["train", .. var settings])
    return Training.Run(settings.Select(s => s.Split('=', 2)).ToDictionary(p => p[0], p => p[1]), launcher);
Console.Error.WriteLine("usage: Pipelines.Distributed.Host train key=value... | validate <output> <ddp|single> | cancel-validation | ctrl-c | allocation");
return 2;
