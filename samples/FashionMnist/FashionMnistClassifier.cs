using Pipelines;
using Pipelines.Data;
using Pipelines.Metrics;
using Pipelines.Schedulers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FashionMnistSample;

/// <summary>
/// A CNN for Fashion-MNIST: the model, its optimization and its metrics, nothing else (no device:
/// <c>Fit</c> places the model; the trainer's callbacks and settings are the program's). The generator
/// writes the constructor that sets the [Hyperparameter] members, <c>Fit</c> (placement, epochs, modes,
/// no_grad, zero_grad/backward/step, a dispose scope per batch, every callback call), <c>Validate</c>,
/// <c>Test</c>, <c>Dispose</c> and the command line (help from the doc comments below).
/// </summary>
[Pipeline]
public sealed partial class FashionMnistClassifier
{
    /// <summary>Training images per optimizer step.</summary>
    [Hyperparameter] public int BatchSize { get; } = 128;

    /// <summary>The peak learning rate of the one-cycle schedule (AdamW).</summary>
    [Hyperparameter] public double LearningRate { get; } = 3e-3;

    /// <summary>AdamW's decoupled weight decay.</summary>
    [Hyperparameter] public double WeightDecay { get; } = 1e-4;

    /// <summary>The dropout probability before each linear layer.</summary>
    [Hyperparameter] public double Dropout { get; } = 0.1;

    /// <summary>The learning-rate schedule over the run's optimizer steps: one cycle, or cosine annealing.</summary>
    [Hyperparameter] public LearningRateSchedule Schedule { get; } = LearningRateSchedule.OneCycle;

    /// <summary>Random horizontal flips of the training images.</summary>
    [Hyperparameter] public bool Augment { get; } = true;

    /// <summary>Random crops of the training images padded by this many pixels (0: no crop).</summary>
    [Hyperparameter] public int CropPadding { get; } = 0;

    [Model] readonly Sequential model;
    [Optimizer] AdamW optimizer;
    [Metric] readonly Accuracy accuracy = new();
    [Metric] readonly Mean loss = new();

    // The schedule belongs to the optimization (Lightning's configure_optimizers): the generated loop steps it and checkpoints it.
    LRScheduler schedule;

    /// <summary>Builds the model for <paramref name="classes"/> classes (Fit places it and then calls <see cref="ConfigureOptimizers"/>).</summary>
    public FashionMnistClassifier(Hyperparameters hyperparameters, int classes) : this(hyperparameters) => model = CreateModel(Dropout, classes);

    // Lightning's configure_optimizers: Fit calls it once, after placing the model on its device.
    [ConfigureOptimizers]
    void ConfigureOptimizers()
    {
        optimizer = optim.AdamW(model.parameters(), lr: LearningRate, weight_decay: WeightDecay);
        // Both span the run's optimizer steps, which Fit knows (epochs, limits, accumulation).
        schedule = Schedule == LearningRateSchedule.OneCycle
            ? new OneCycleLR(optimizer, maxLr: LearningRate)
            : new CosineAnnealingLR(optimizer, interval: SchedulerInterval.OptimizerStep);
    }

    /// <summary>
    /// The CNN: two blocks of 3x3 convolution, batch norm, ReLU and 2x2 max pooling (32 then 64
    /// channels), then dropout, Linear(3136, 128), ReLU, dropout, Linear(128, classes). The benchmark
    /// trains the same model by hand.
    /// </summary>
    public static Sequential CreateModel(double dropout, int classes = 10) => nn.Sequential(
        nn.Conv2d(1, 32, 3, padding: 1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding: 1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Dropout(dropout), nn.Linear(64 * 7 * 7, 128), nn.ReLU(),
        nn.Dropout(dropout), nn.Linear(128, classes));

    [TrainingStep]
    Tensor TrainingStep(Batch batch) => nn.functional.cross_entropy(model.call(batch.Input), batch.Target);

    // One step for validation and test: the generator resets the metrics before each phase.
    [ValidationStep, TestStep]
    void EvaluationStep(Batch batch)
    {
        var logits = model.call(batch.Input);
        accuracy.Update(logits, batch.Target);
        loss.Update(nn.functional.cross_entropy(logits, batch.Target));
    }
}
