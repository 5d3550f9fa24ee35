using Pipelines.Handlers;
using Pipelines.Logging;
using Pipelines.Metrics;
using Pipelines.Schedulers;

namespace Pipelines.Runtime.Tests.Engine;

/// <summary>Records every handler call: (handler, counter) pairs in call order.</summary>
[Pipeline]
public sealed partial class RecordingPipeline : IDisposable
{
    readonly Tensor loss = torch.zeros([]).requires_grad_();

    public List<(string Handler, int Counter)> Calls { get; } = [];

    public List<int> ValidatedBatches { get; } = [];

    public Action<int>? OnTrain { get; set; }

    [Model] readonly Probe model = new();
    [Optimizer] public CountingOptimizer Optimizer { get; } = new();

    [TrainingStep]
    Tensor Train(int batch)
    {
        OnTrain?.Invoke(batch);
        return loss;
    }

    [ValidationStep]
    void Validate(int batch) => ValidatedBatches.Add(batch);

    void Record(string handler, int counter) => Calls.Add((handler, counter));

    public int[] CallsOf(string handler) => Calls.Where(c => c.Handler == handler).Select(c => c.Counter).ToArray();

    [OnEvent(Events.Started)] void Started(in PipelineState s) => Record(nameof(Started), s.Epoch);
    [OnEvent(Events.EpochStarted)] void EpochStarted(in PipelineState s) => Record(nameof(EpochStarted), s.Epoch);
    [OnEvent(Events.EpochStarted, Once = 3)] void EpochStartedOnce3(in PipelineState s) => Record(nameof(EpochStartedOnce3), s.Epoch);
    [OnEvent(Events.IterationStarted)] void IterationStarted(in PipelineState s) => Record(nameof(IterationStarted), s.Iteration);
    [OnEvent(Events.IterationStarted, Every = 5)] void IterationStartedEvery5(in PipelineState s) => Record(nameof(IterationStartedEvery5), s.Iteration);
    [OnEvent(Events.BackwardCompleted)] void BackwardCompleted(in PipelineState s) => Record(nameof(BackwardCompleted), s.Iteration);
    [OnEvent(Events.BackwardCompleted, Before = 3)] void BackwardCompletedBefore3(in PipelineState s) => Record(nameof(BackwardCompletedBefore3), s.Iteration);
    [OnEvent(Events.IterationCompleted)] void IterationCompleted(in PipelineState s) => Record(nameof(IterationCompleted), s.Iteration);
    [OnEvent(Events.IterationCompleted, Every = 3)] void IterationCompletedEvery3(in PipelineState s) => Record(nameof(IterationCompletedEvery3), s.Iteration);
    [OnEvent(Events.IterationCompleted, Once = 4)] void IterationCompletedOnce4(in PipelineState s) => Record(nameof(IterationCompletedOnce4), s.Iteration);
    [OnEvent(Events.IterationCompleted, Before = 4)] void IterationCompletedBefore4(in PipelineState s) => Record(nameof(IterationCompletedBefore4), s.Iteration);
    [OnEvent(Events.IterationCompleted, After = 12)] void IterationCompletedAfter12(in PipelineState s) => Record(nameof(IterationCompletedAfter12), s.Iteration);
    [OnEvent(Events.IterationCompleted, Every = 2, After = 3, Before = 12)] void IterationCompletedWindow(in PipelineState s) => Record(nameof(IterationCompletedWindow), s.Iteration);
    [OnEvent(Events.IterationCompleted, Every = 4, Before = 12)] void IterationCompletedEvery4Before12(in PipelineState s) => Record(nameof(IterationCompletedEvery4Before12), s.Iteration);
    [OnEvent(Events.ValidationStarted)] void ValidationStarted(in PipelineState s) => Record(nameof(ValidationStarted), s.Epoch);
    [OnEvent(Events.ValidationCompleted)] void ValidationCompleted(in PipelineState s) => Record(nameof(ValidationCompleted), s.Epoch);
    [OnEvent(Events.EpochCompleted)] void EpochCompleted(in PipelineState s) => Record(nameof(EpochCompleted), s.Epoch);
    [OnEvent(Events.EpochCompleted, Every = 2)] void EpochCompletedEvery2(in PipelineState s) => Record(nameof(EpochCompletedEvery2), s.Epoch);
    [OnEvent(Events.EpochCompleted, After = 1)] void EpochCompletedAfter1(in PipelineState s) => Record(nameof(EpochCompletedAfter1), s.Epoch);
    [OnEvent(Events.Terminated)] void Terminated(in PipelineState s) => Record(nameof(Terminated), s.Epoch);
    [OnEvent(Events.Completed)] void Completed(in PipelineState s) => Record(nameof(Completed), s.Epoch);
    [OnEvent(Events.ExceptionRaised)] void ExceptionRaised(in PipelineState s) => Record(nameof(ExceptionRaised) + ":" + s.Exception?.Message, s.Iteration);

    public void Dispose()
    {
        loss.Dispose();
        model.Dispose();
    }
}

/// <summary>Terminates at a chosen iteration or epoch (early stopping from a handler).</summary>
[Pipeline]
public sealed partial class TerminatingPipeline : IDisposable
{
    readonly Tensor loss = torch.zeros([]).requires_grad_();

    public int TerminateAtIteration { get; init; }

    public int TerminateAtEpoch { get; init; }

    public List<string> Log { get; } = [];

    [Model] readonly Probe model = new();
    [Optimizer] readonly CountingOptimizer optimizer = new();

    [TrainingStep]
    Tensor Train(int batch) => loss;

    [ValidationStep]
    void Validate(int batch) { }

    [OnEvent(Pipelines.Events.IterationCompleted)]
    void AfterIteration(in PipelineState state)
    {
        if (state.Iteration == TerminateAtIteration)
            state.Terminate();
    }

    [OnEvent(Pipelines.Events.ValidationCompleted)]
    void AfterValidation(in PipelineState state) => Log.Add("validation " + state.Epoch);

    [OnEvent(Pipelines.Events.EpochCompleted)]
    void AfterEpoch(in PipelineState state)
    {
        Log.Add("epoch " + state.Epoch);
        if (state.Epoch == TerminateAtEpoch)
            state.Terminate();
    }

    [OnEvent(Pipelines.Events.Terminated)]
    void OnTerminated(in PipelineState state) => Log.Add("terminated " + state.Iteration);

    [OnEvent(Pipelines.Events.Completed)]
    void OnCompleted(in PipelineState state) => Log.Add("completed " + state.Iteration);

    public void Dispose()
    {
        loss.Dispose();
        model.Dispose();
    }
}

/// <summary>Records the modes the models are in while each step runs.</summary>
[Pipeline]
public sealed partial class ModePipeline : IDisposable
{
    readonly Tensor loss = torch.zeros([]).requires_grad_();

    public Probe Model { get; } = new(children: 2);

    public List<string> Seen { get; } = [];

    [Model] Probe Tracked => Model;
    [Optimizer] readonly CountingOptimizer optimizer = new();

    string Modes() => $"{Model.training}/{Model.Child(0).training}/{Model.Child(1).training}/grad={torch.is_grad_enabled()}";

    [TrainingStep]
    Tensor Train(int batch)
    {
        Seen.Add("train " + Modes());
        return loss;
    }

    [ValidationStep]
    void Validate(int batch) => Seen.Add("validate " + Modes());

    public void Dispose()
    {
        loss.Dispose();
        Model.Dispose();
    }
}

/// <summary>A step that does no tensor work and handlers that read the allocation counter: the engine's own allocations.</summary>
[Pipeline]
public sealed partial class AllocationProbe : IDisposable
{
    readonly Tensor loss = torch.zeros([]).requires_grad_();

    /// <summary>The thread's allocated-bytes counter every 1,000 iterations.</summary>
    public List<long> Allocated { get; } = new(capacity: 16);

    /// <summary>
    /// Bytes allocated in each 1,000-iteration window after the first. A per-iteration allocation
    /// shows in every window; the runtime's own one-off allocations (the tiered JIT starting its
    /// background worker on a busy machine, say) land in one window at most.
    /// </summary>
    public long[] Windows() => Allocated.Zip(Allocated.Skip(1), (a, b) => b - a).ToArray();

    [Model] readonly Probe model = new();
    [Optimizer] readonly CountingOptimizer optimizer = new();

    [TrainingStep]
    Tensor Train(int batch) => loss;

    [OnEvent(Events.IterationCompleted, Every = 1000)]
    void Measure() => Allocated.Add(GC.GetAllocatedBytesForCurrentThread());

    [OnEvent(Events.IterationCompleted, Every = 100)]
    void ReadCounters(in PipelineState state)
    {
        // What a progress handler would read, minus the loss (a host sync the user asks for).
        _ = state.Epoch + state.Iteration + state.EpochIteration + state.OptimizerSteps;
        _ = state.Elapsed;
    }

    public void Dispose()
    {
        loss.Dispose();
        model.Dispose();
    }
}

/// <summary>A callback of the user's own: counts the iterations it is called for.</summary>
public sealed class IterationCounter : Pipelines.Handlers.IIterationCompletedHandler
{
    public int Calls { get; private set; }

    public void OnIterationCompleted(in PipelineState state) => Calls++;
}

/// <summary>
/// <see cref="AllocationProbe"/> with six callbacks attached: a per-step LR schedule over a real
/// TorchSharp optimizer, early stopping, the metrics table, the CSV and TensorBoard loggers (between
/// their rows) and a user's own callback; the engine's own allocations with callbacks.
/// </summary>
[Pipeline]
public sealed partial class CallbackAllocationProbe
{
    readonly Tensor loss = torch.zeros([]).requires_grad_();

    public CallbackAllocationProbe()
    {
        scheduled = torch.optim.SGD([new TorchSharp.Modules.Parameter(torch.zeros(1))], 0.1);
        schedule = new StepLR(scheduled, stepSize: 100, gamma: 0.99, interval: SchedulerInterval.OptimizerStep);
    }

    public List<long> Allocated { get; } = new(capacity: 16);

    public long[] Windows() => Allocated.Zip(Allocated.Skip(1), (a, b) => b - a).ToArray();

    [Model] readonly Probe model = new();
    [Optimizer] readonly CountingOptimizer optimizer = new();
    [Metric] readonly Mean validationLoss = new();

    readonly TorchSharp.Modules.SGD scheduled;
    readonly StepLR schedule;
    readonly EarlyStopping early = new(Metrics.Val.ValidationLoss, MonitorMode.Min, patience: 3);
    readonly MetricsTable table = new();
    readonly CsvLogger csv = new(every: 1_000_000);
    readonly TensorBoardLogger tensorboard = new(every: 1_000_000);
    readonly IterationCounter counter = new();

    public IterationCounter Counter => counter;

    public StepLR Schedule => schedule;

    [TrainingStep]
    Tensor Train(int batch) => loss;

    [ValidationStep]
    void Validate(int batch) => validationLoss.Update(loss.detach());

    [OnEvent(Events.IterationCompleted, Every = 1000)]
    void Measure() => Allocated.Add(GC.GetAllocatedBytesForCurrentThread());
}

/// <summary>Metrics updated by the training and validation steps, over real tensors.</summary>
[Pipeline]
public sealed partial class MetricPipeline : IDisposable
{
    readonly Tensor weight = torch.ones(1).requires_grad_();

    [Model] readonly Probe model = new();
    [Optimizer] readonly CountingOptimizer optimizer = new();
    [Metric] readonly Mean trainingLoss = new();
    [Metric] readonly Mean validationLoss = new();
    [Metric] readonly Accuracy accuracy = new();

    [TrainingStep]
    Tensor Train(Batch batch)
    {
        var loss = batch.Input.mul(weight).sum();
        trainingLoss.Update(loss);
        return loss;
    }

    [ValidationStep]
    void Validate(Batch batch)
    {
        validationLoss.Update(batch.Input);
        accuracy.Update(batch.Input.unsqueeze(1).cat_with_zeros(), batch.Target);
    }

    public void Dispose()
    {
        weight.Dispose();
        model.Dispose();
        trainingLoss.Dispose();
        validationLoss.Dispose();
        accuracy.Dispose();
    }
}

static class TestTensorExtensions
{
    /// <summary>[N, 1] scores to [N, 2] by putting a zero column first: class 1 wins where the score is positive.</summary>
    public static Tensor cat_with_zeros(this Tensor column) => torch.cat([torch.zeros(column.size(0), 1), column], 1);
}
