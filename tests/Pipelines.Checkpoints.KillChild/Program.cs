using Pipelines;
using Pipelines.Checkpoints;
using Pipelines.Handlers;
using TorchSharp;
using static TorchSharp.torch.nn;

// Writes checkpoints into args[0] until killed: every parameter of checkpoint i holds the value i,
// so the parent can tell a torn file from a whole one. It resumes from last.ckpt (model, best-k
// list, counters) as a restarted training run would.
if (args is ["sigint", var sigintDirectory, ..])
    return Pipelines.Checkpoints.KillChild.SigintChild.Run(sigintDirectory, hang: args.Length > 2 && args[2] == "hang");
if (args is ["fill", var fillDirectory])
    return Pipelines.Checkpoints.KillChild.FillChild.Run(fillDirectory);
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Pipelines.Checkpoints.KillChild <directory> | sigint <directory> [hang] | fill <directory>");
    return 2;
}

using var model = Sequential(Linear(256, 256), ReLU(), Linear(256, 256));
using var sgd = torch.optim.SGD(model.parameters(), 0.1);
var best = new BestCheckpoints(new Pipelines.Metrics.MetricKey(0, "val/score"), MonitorMode.Max, keep: 3, directory: args[0]);
var contents = new CheckpointContents();
contents.Models.Add("model", model);
contents.Optimizers.Add("sgd", sgd);
contents.States.Add("best", best);

var start = 0;
if (File.Exists(best.LastPath))
{
    using var checkpoint = Checkpoint.Load(best.LastPath);
    checkpoint.Restore(contents);
    start = checkpoint.Counters.Iteration;
}
Console.WriteLine($"ready {start}");

for (var i = start + 1; ; i++)
{
    using (torch.no_grad())
        foreach (var p in model.parameters())
            p.fill_(i);
    contents.Counters = new CheckpointCounters(i, i, 0, i);
    best.Save(contents, i, i * 7919 % 101 / 100.0);
    Console.WriteLine($"saved {i}");
}
