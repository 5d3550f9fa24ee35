using Pipelines.Metrics;
using TorchSharp.Modules;

namespace Pipelines.Runtime.Tests.Engine;

/// <summary>Linear regression with plain SGD (lr 1): one optimizer step moves each parameter by minus its (clipped) gradient.</summary>
[Pipeline]
public sealed partial class ClippedRegression : IDisposable
{
    public ClippedRegression()
    {
        Model = nn.Linear(4, 3);
        optimizer = optim.SGD(Model.parameters(), learningRate: 1.0);
    }

    [Model] public Linear Model { get; }
    [Optimizer] readonly SGD optimizer;

    [TrainingStep]
    Tensor Train(Batch batch) => nn.functional.mse_loss(Model.call(batch.Input), batch.Target);

    public void Dispose()
    {
        optimizer.Dispose();
        Model.Dispose();
    }
}

/// <summary>A GAN-shaped manual step: the discriminator steps every batch, the generator every second one.</summary>
[Pipeline]
public sealed partial class TwoPlayerPipeline : IDisposable
{
    public TwoPlayerPipeline()
    {
        Generator = nn.Linear(2, 2);
        Discriminator = nn.Linear(2, 1);
        generatorOptimizer = optim.SGD(Generator.parameters(), learningRate: 0.1);
        discriminatorOptimizer = optim.SGD(Discriminator.parameters(), learningRate: 0.1);
    }

    [Model] public Linear Generator { get; }
    [Model] public Linear Discriminator { get; }
    [Optimizer] readonly SGD generatorOptimizer;
    [Optimizer] readonly SGD discriminatorOptimizer;

    /// <summary>(iteration, optimizer steps counted before the call, generator stepped) per call.</summary>
    public List<(int Iteration, int StepsBefore, bool GeneratorStepped)> Calls { get; } = [];

    [TrainingStep]
    void Train(Batch batch, SGD generatorSteps, optim.Optimizer discriminatorSteps, in PipelineState state)
    {
        // Discriminator: real inputs towards 1, generated ones towards 0.
        discriminatorSteps.zero_grad();
        var fake = Generator.call(batch.Target).detach();
        var real = nn.functional.binary_cross_entropy_with_logits(Discriminator.call(batch.Input), torch.ones(batch.Input.size(0), 1));
        var generated = nn.functional.binary_cross_entropy_with_logits(Discriminator.call(fake), torch.zeros(batch.Input.size(0), 1));
        (real + generated).backward();
        discriminatorSteps.step();

        var generatorTurn = state.Iteration % 2 == 0;
        if (generatorTurn)
        {
            generatorSteps.zero_grad();
            var fooled = nn.functional.binary_cross_entropy_with_logits(Discriminator.call(Generator.call(batch.Target)), torch.ones(batch.Input.size(0), 1));
            fooled.backward();
            generatorSteps.step();
        }
        Calls.Add((state.Iteration, state.OptimizerSteps, generatorTurn));
    }

    public void Dispose()
    {
        generatorOptimizer.Dispose();
        discriminatorOptimizer.Dispose();
        Generator.Dispose();
        Discriminator.Dispose();
    }
}

public enum Schedule
{
    Constant,
    Cosine,
}

/// <summary>Hyperparameters of several kinds, and a handler that sees them during the run.</summary>
[Pipeline]
public sealed partial class TunedPipeline : IDisposable
{
    readonly Tensor loss = torch.zeros([]).requires_grad_();

    [Hyperparameter] public double LearningRate { get; } = 0.01;
    [Hyperparameter] public int Hidden { get; } = 8;
    [Hyperparameter] public string? Label { get; }
    [Hyperparameter] public Schedule Schedule { get; } = Schedule.Cosine;
    [Hyperparameter] public float? Dropout { get; } = 0.5f;
    [Hyperparameter] readonly bool warmup = true;

    public IHyperparameters? SeenByHandler { get; private set; }

    [Model] readonly Probe model = new();
    [Optimizer] readonly CountingOptimizer optimizer = new();

    [TrainingStep]
    Tensor Train(int batch) => loss;

    [OnEvent(Events.Started)]
    void OnStarted(in PipelineState state) => SeenByHandler = state.Hyperparameters;

    public void Dispose()
    {
        loss.Dispose();
        model.Dispose();
    }
}

/// <summary>A constructor of its own that chains to the generated one and reads hyperparameters in its body.</summary>
[Pipeline]
public sealed partial class ChainedConstructorPipeline
{
    readonly Tensor loss = torch.zeros([]).requires_grad_();

    [Hyperparameter] public int Hidden { get; } = 8;
    [Hyperparameter] public double LearningRate { get; } = 0.01;

    public ChainedConstructorPipeline(Hyperparameters hyperparameters, string note) : this(hyperparameters)
    {
        SeenByConstructor = (Hidden, LearningRate, note);
        optimizer = new CountingOptimizer();
    }

    public (int Hidden, double LearningRate, string Note) SeenByConstructor { get; }

    [Model] readonly Probe model = new();
    [Optimizer] readonly CountingOptimizer optimizer;

    [TrainingStep]
    Tensor Train(int batch) => loss;
}

/// <summary>The MLP of the Fashion-MNIST sample: Flatten, Linear(784, 256), ReLU, Linear(256, 10), Adam 1e-3.</summary>
[Pipeline]
public sealed partial class FashionMnistMlp : IDisposable
{
    readonly Tensor windowLoss = torch.zeros([]);

    public FashionMnistMlp()
    {
        model = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 256), nn.ReLU(), nn.Linear(256, 10));
        optimizer = optim.Adam(model.parameters(), lr: LearningRate);
    }

    [Hyperparameter] public double LearningRate => 1e-3;

    [Model] readonly Sequential model;
    [Optimizer] readonly Adam optimizer;
    [Metric] readonly Accuracy accuracy = new();

    /// <summary>The mean training loss of each window of 100 iterations.</summary>
    public List<double> WindowLosses { get; } = [];

    [TrainingStep]
    Tensor Train(Batch batch) => nn.functional.cross_entropy(model.call(batch.Input), batch.Target);

    [ValidationStep]
    void Validate(Batch batch) => accuracy.Update(model.call(batch.Input), batch.Target);

    [OnEvent(Events.IterationCompleted)]
    void Accumulate(in PipelineState state)
    {
        // On the device: no host sync per iteration.
        using (torch.no_grad())
            windowLoss.add_(state.LossTensor!);
    }

    [OnEvent(Events.IterationCompleted, Every = 100)]
    void CloseWindow()
    {
        WindowLosses.Add(windowLoss.item<float>() / 100);
        windowLoss.zero_();
    }

    public void Dispose()
    {
        windowLoss.Dispose();
        optimizer.Dispose();
        model.Dispose();
        accuracy.Dispose();
    }
}
