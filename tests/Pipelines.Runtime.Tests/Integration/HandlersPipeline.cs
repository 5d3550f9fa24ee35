using Pipelines.Checkpoints;
using Pipelines.Handlers;
using Pipelines.Logging;
using Pipelines.Metrics;
using Pipelines.Schedulers;
using TorchSharp.Modules;

namespace Pipelines.Runtime.Tests.Integration;

/// <summary>
/// Linear regression trained by a generated loop with the runtime's callbacks as plain members,
/// the way docs/handlers.md shows: a progress bar, a per-step schedule, early stopping on the
/// validation loss, the best checkpoint by it, a CSV log and TerminateOnNan. Nothing calls them
/// by hand: the generated loop does, at the events their types take.
/// </summary>
[Pipeline]
public sealed partial class HandlersPipeline
{
    public HandlersPipeline(double minDelta)
    {
        optimizer = torch.optim.SGD(model.parameters(), learningRate: 0.05);
        schedule = new LinearLR(optimizer, startFactor: 0.5, totalIters: 4);
        early = new EarlyStopping(Metrics.Val.ValidationLoss, MonitorMode.Min, patience: 2, minDelta: minDelta);
        csv = new CsvLogger(every: 2);
    }

    [Model] readonly Linear model = torch.nn.Linear(1, 1);
    [Optimizer] readonly SGD optimizer;
    [Metric] readonly Mean validationLoss = new();

    readonly LinearLR schedule;
    readonly ProgressBar progress = new(new() { Mode = ProgressMode.Plain, PlainEvery = 2 });
    readonly EarlyStopping early;
    readonly BestCheckpoints best = new(Metrics.Val.ValidationLoss, MonitorMode.Min, keep: 1);
    readonly CsvLogger csv;
    readonly TerminateOnNan nan = new(every: 3, log: TextWriter.Null);

    public EarlyStopping Early => early;

    public LinearLR Schedule => schedule;

    public BestCheckpoints Best => best;

    [TrainingStep]
    Tensor Train(Batch batch) => torch.nn.functional.mse_loss(model.call(batch.Input), batch.Target);

    [ValidationStep]
    void Validate(Batch batch) => validationLoss.Update(torch.nn.functional.mse_loss(model.call(batch.Input), batch.Target));
}
