using Pipelines.Handlers;
using Pipelines.Logging;
using Pipelines.Metrics;
using Pipelines.Schedulers;
using TorchSharp.Modules;

namespace Pipelines.Runtime.Tests.Integration;

/// <summary>
/// Linear regression trained by a generated loop, with the handlers wired the way docs/handlers.md
/// shows: a progress bar, a per-step schedule, early stopping on the validation loss, a CSV log
/// and TerminateOnNan, all called from [OnEvent] handlers.
/// </summary>
[Pipeline]
public sealed partial class HandlersPipeline : IDisposable
{
    public HandlersPipeline(TextWriter output, string csvPath, int batchesPerEpoch, IDataWaitMeter meter, double minDelta)
    {
        optimizer = torch.optim.SGD(model.parameters(), learningRate: 0.05);
        schedule = new LinearLR(optimizer, startFactor: 0.5, totalIters: 4);
        progress = new ProgressBar(new() { Output = output, Mode = ProgressMode.Plain, PlainEvery = 2, BatchesPerEpoch = batchesPerEpoch, DataWait = meter });
        early = new EarlyStopping(patience: 2, minDelta: minDelta);
        csv = new CsvLogger(csvPath, ["validation_loss", "lr"]);
    }

    [Model] readonly Linear model = torch.nn.Linear(1, 1);
    [Optimizer] readonly SGD optimizer;
    [Metric] readonly Mean validationLoss = new();

    readonly LinearLR schedule;
    readonly ProgressBar progress;
    readonly EarlyStopping early;
    readonly CsvLogger csv;
    readonly TerminateOnNan nan = new(every: 3, log: TextWriter.Null);

    public EarlyStopping Early => early;

    public LinearLR Schedule => schedule;

    [TrainingStep]
    Tensor Train(Batch batch) => torch.nn.functional.mse_loss(model.call(batch.Input), batch.Target);

    [ValidationStep]
    void Validate(Batch batch) => validationLoss.Update(torch.nn.functional.mse_loss(model.call(batch.Input), batch.Target));

    [OnEvent(Events.IterationCompleted)]
    void AfterIteration(in PipelineState state)
    {
        schedule.Step(in state);
        nan.Check(in state);
        progress.Update(in state);
    }

    [OnEvent(Events.EpochCompleted)]
    void AfterEpoch(in PipelineState state)
    {
        progress.EpochCompleted(in state);
        var loss = validationLoss.Compute();
        csv.Log(in state, loss, OptimizerGroups.Rate(optimizer));
        early.Step(in state, loss);
    }

    public void Dispose()
    {
        model.Dispose();
        optimizer.Dispose();
        validationLoss.Dispose();
        progress.Dispose();
        csv.Dispose();
        nan.Dispose();
    }
}
