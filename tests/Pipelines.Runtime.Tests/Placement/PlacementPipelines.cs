using Pipelines.Handlers;
using Pipelines.Metrics;
using Pipelines.Schedulers;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Pipelines.Runtime.Tests.Placement;

/// <summary>
/// The way the trainer places a pipeline: no device anywhere in the class, the optimizer and the
/// scheduler built from it in the [ConfigureOptimizers] method, which Fit calls after the move.
/// </summary>
[Pipeline]
public sealed partial class PlacedRegression : IDisposable
{
    [Hyperparameter] public double LearningRate { get; } = 0.02;

    [Model] readonly Sequential model;
    [Optimizer] Adam optimizer;
    [Metric] readonly Mean validationLoss = new();
    [Checkpointed] StepLR schedule;
    readonly BestCheckpoints best = new(Metrics.Val.ValidationLoss, MonitorMode.Min, keep: 1);

    /// <summary>The model drawn from <paramref name="initSeed"/> (a resume overwrites it).</summary>
    public PlacedRegression(Hyperparameters hyperparameters, long initSeed) : this(hyperparameters)
    {
        torch.manual_seed(initSeed);
        model = Sequential(Linear(4, 16), ReLU(), Dropout(0.1), Linear(16, 1));
    }

    public Sequential Model => model;

    public Adam Optimizer => optimizer;

    public int Configurations { get; private set; }

    public List<double> Losses { get; } = [];

    [ConfigureOptimizers]
    void ConfigureOptimizers()
    {
        Configurations++;
        optimizer = torch.optim.Adam(model.parameters(), LearningRate);
        schedule = new StepLR(optimizer, stepSize: 4, gamma: 0.8, interval: SchedulerInterval.OptimizerStep);
    }

    [TrainingStep]
    Tensor Train(Batch batch) => functional.mse_loss(model.call(batch.Input), batch.Target);

    [ValidationStep, TestStep]
    void Evaluate(Batch batch) => validationLoss.Update(functional.mse_loss(model.call(batch.Input), batch.Target));

    [OnEvent(Events.IterationCompleted)]
    void Record(in PipelineState state) => Losses.Add(state.Loss);

    public void Dispose()
    {
        validationLoss.Dispose();
        optimizer?.Dispose();
        model.Dispose();
    }
}

/// <summary>A pipeline whose SGD comes from its [ConfigureOptimizers] method, with nothing that reads a value: it runs on the meta device.</summary>
[Pipeline]
public sealed partial class DeferredLinear : IDisposable
{
    [Model] readonly Linear model = Linear(3, 2);
    [Optimizer] SGD optimizer;

    public Linear Model => model;

    public SGD Optimizer => optimizer;

    [ConfigureOptimizers]
    void Configure() => optimizer = torch.optim.SGD(model.parameters(), 0.1);

    // mse_loss has no backward kernel for meta tensors; these operators have.
    [TrainingStep]
    Tensor Train(Batch batch) => (model.call(batch.Input) - batch.Target).square().mean();

    [ValidationStep]
    void Check(Batch batch) => Validated.Add(model.call(batch.Input).device_type);

    public List<DeviceType> Validated { get; } = [];

    public void Dispose()
    {
        optimizer?.Dispose();
        model.Dispose();
    }
}

/// <summary>The same with the optimizer built in the constructor: fine where no move is needed, refused where one is.</summary>
[Pipeline]
public sealed partial class EagerLinear : IDisposable
{
    [Model] readonly Linear model = Linear(3, 2);
    [Optimizer] readonly SGD optimizer;

    public EagerLinear() => optimizer = torch.optim.SGD(model.parameters(), 0.1);

    public Linear Model => model;

    public List<double> Losses { get; } = [];

    [TrainingStep]
    Tensor Train(Batch batch) => functional.mse_loss(model.call(batch.Input), batch.Target);

    [OnEvent(Events.IterationCompleted)]
    void Record(in PipelineState state) => Losses.Add(state.Loss);

    public void Dispose()
    {
        optimizer.Dispose();
        model.Dispose();
    }
}
