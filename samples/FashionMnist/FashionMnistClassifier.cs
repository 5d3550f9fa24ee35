using System.Globalization;
using Pipelines;
using Pipelines.Checkpoints;
using Pipelines.Data;
using Pipelines.Handlers;
using Pipelines.Logging;
using Pipelines.Metrics;
using Pipelines.Schedulers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FashionMnistSample;

/// <summary>
/// A CNN for Fashion-MNIST: everything specific to this model and nothing else. The generator
/// writes <c>Fit</c> (the epochs, train/eval modes, no_grad, zero_grad/backward/step, one dispose
/// scope per batch, the handler calls), <c>Validate</c>, <c>Test</c>, and the command line that
/// sets the [Hyperparameter] members (<c>Hyperparameters.TryParse</c>, help from the doc comments below).
/// </summary>
[Pipeline]
public sealed partial class FashionMnistClassifier : IDisposable
{
    /// <summary>The number of epochs to train (early stopping may end sooner).</summary>
    [Hyperparameter] public int Epochs { get; } = 9;

    /// <summary>Training images per optimizer step.</summary>
    [Hyperparameter] public int BatchSize { get; } = 128;

    /// <summary>The peak learning rate of the one-cycle schedule (AdamW).</summary>
    [Hyperparameter] public double LearningRate { get; } = 2e-3;

    /// <summary>AdamW's decoupled weight decay.</summary>
    [Hyperparameter] public double WeightDecay { get; } = 1e-4;

    /// <summary>The dropout probability before each linear layer.</summary>
    [Hyperparameter] public double Dropout { get; } = 0.1;

    /// <summary>The learning-rate schedule: one cycle per run, stepped per batch, or cosine annealing per batch.</summary>
    [Hyperparameter] public LearningRateSchedule Schedule { get; } = LearningRateSchedule.OneCycle;

    /// <summary>Random horizontal flips of the training images.</summary>
    [Hyperparameter] public bool Augment { get; } = true;

    /// <summary>Random crops of the training images padded by this many pixels (0: no crop).</summary>
    [Hyperparameter] public int CropPadding { get; } = 0;

    /// <summary>Stop after this many epochs without a better validation accuracy.</summary>
    [Hyperparameter] public int Patience { get; } = 3;

    /// <summary>Seeds the train/validation split, the shuffling, the augmentation and the weights.</summary>
    [Hyperparameter] public long Seed { get; } = 42;

    /// <summary>Where to train: cpu, cuda or cuda:N.</summary>
    [Hyperparameter] public string Device { get; } = "cpu";

    /// <summary>libtorch intra-op threads (0: libtorch's default).</summary>
    [Hyperparameter] public int Threads { get; } = 2;

    /// <summary>The directory holding the Fashion-MNIST IDX files.</summary>
    [Hyperparameter] public string DataDirectory { get; } = FashionMnist.DebianDirectory;

    /// <summary>Where logs and checkpoints go (none: runs/ plus the start time).</summary>
    [Hyperparameter] public string? RunDirectory { get; } = null;

    /// <summary>A smoke test: one epoch of one training batch and one validation batch.</summary>
    [Hyperparameter] public bool FastDevRun { get; } = false;

    /// <summary>Train on at most this many batches per epoch (none: all of them).</summary>
    [Hyperparameter] public int? LimitTrainBatches { get; } = null;

    /// <summary>A checkpoint to continue from exactly (e.g. the last.ckpt of an interrupted run).</summary>
    [Hyperparameter] public string? Resume { get; } = null;

    /// <summary>Run the learning-rate range test (Lightning's lr_find) instead of training, and print its suggestion.</summary>
    [Hyperparameter] public bool FindLr { get; } = false;

    [Model] readonly Sequential model;
    [Optimizer] readonly AdamW optimizer;

    [Metric] readonly Accuracy accuracy = new();
    [Metric] readonly Mean loss = new();

    [Checkpointed] readonly LRScheduler schedule;
    readonly ProgressBar progress;
    readonly MetricsTable table = new("val loss", "val accuracy", "lr");
    [Checkpointed] readonly EarlyStopping earlyStopping;
    [Checkpointed] readonly BestCheckpoints checkpoints;
    readonly CsvLogger csv;
    readonly TensorBoardLogger tensorboard;
    readonly TextWriter output;

    /// <summary>
    /// Builds the model and everything around it for one run: <paramref name="hyperparameters"/>
    /// (from the command line), the training loader (for the schedule's length and the progress
    /// bar's data-wait share), the run directory for logs and checkpoints.
    /// </summary>
    public FashionMnistClassifier(Hyperparameters hyperparameters, BatchLoader train, string runDirectory, Device device, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(hyperparameters);
        ArgumentNullException.ThrowIfNull(train);
        (Epochs, BatchSize, LearningRate, WeightDecay, Dropout, Schedule, Augment, CropPadding, Patience) = (hyperparameters.Epochs, hyperparameters.BatchSize,
            hyperparameters.LearningRate, hyperparameters.WeightDecay, hyperparameters.Dropout, hyperparameters.Schedule, hyperparameters.Augment,
            hyperparameters.CropPadding, hyperparameters.Patience);
        (Seed, Device, Threads, DataDirectory, RunDirectory, FastDevRun, LimitTrainBatches, Resume) = (hyperparameters.Seed, hyperparameters.Device,
            hyperparameters.Threads, hyperparameters.DataDirectory, hyperparameters.RunDirectory, hyperparameters.FastDevRun, hyperparameters.LimitTrainBatches,
            hyperparameters.Resume);
        this.output = output ?? Console.Out;

        model = CreateModel(Dropout);
        model.to(device);
        optimizer = optim.AdamW(model.parameters(), lr: LearningRate, weight_decay: WeightDecay);

        var batchesPerEpoch = FastDevRun ? 1 : Math.Min(train.Count, LimitTrainBatches ?? int.MaxValue);
        var totalSteps = Math.Max(1, (FastDevRun ? 1 : Epochs) * batchesPerEpoch);
        // One cycle as in PyTorch: AdamW's beta1 cycles 0.95 -> 0.85 -> 0.95 against the rate.
        schedule = Schedule == LearningRateSchedule.OneCycle
            ? new OneCycleLR(optimizer, maxLr: LearningRate, totalSteps: totalSteps)
            : new CosineAnnealingLR(optimizer, tMax: totalSteps, interval: SchedulerInterval.OptimizerStep);
        progress = new ProgressBar(new() { BatchesPerEpoch = batchesPerEpoch, DataWait = train, Output = output });
        earlyStopping = new EarlyStopping(Patience, MonitorMode.Max);
        checkpoints = new BestCheckpoints(Path.Combine(runDirectory, "checkpoints"), "val_accuracy", MonitorMode.Max, keep: 2);
        csv = new CsvLogger(Path.Combine(runDirectory, "metrics.csv"), ["train_loss", "val_loss", "val_accuracy", "lr"]);
        tensorboard = new TensorBoardLogger(runDirectory);
        tensorboard.LogHyperparameters(
        [
            new("learning_rate", LearningRate), new("batch_size", BatchSize), new("epochs", Epochs), new("weight_decay", WeightDecay),
            new("dropout", Dropout), new("schedule", Schedule.ToString()), new("augment", Augment), new("crop_padding", CropPadding), new("seed", Seed),
        ], ["val/loss", "val/accuracy"]);
    }

    /// <summary>
    /// The CNN: two blocks of 3x3 convolution, batch norm, ReLU and 2x2 max pooling (32 then 64
    /// channels), then dropout, Linear(3136, 128), ReLU, dropout, Linear(128, 10). The benchmark
    /// trains the same model by hand.
    /// </summary>
    public static Sequential CreateModel(double dropout) => nn.Sequential(
        nn.Conv2d(1, 32, 3, padding: 1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding: 1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Dropout(dropout), nn.Linear(64 * 7 * 7, 128), nn.ReLU(),
        nn.Dropout(dropout), nn.Linear(128, 10));

    /// <summary>The best checkpoint so far (by validation accuracy), or null before the first validation.</summary>
    public string? BestCheckpointPath => checkpoints.BestPath;

    /// <summary>The latest checkpoint's path.</summary>
    public string LastCheckpointPath => checkpoints.LastPath;

    /// <summary>Loads the weights of a checkpoint this pipeline wrote (the best one, before testing).</summary>
    public void LoadWeights(string checkpointPath) => Checkpoint.LoadModelWeights(checkpointPath, model, "model");

    [TrainingStep]
    Tensor Train(Batch batch) => nn.functional.cross_entropy(model.call(batch.Input), batch.Target);

    // The generator resets a metric before each phase whose step reaches it, here through Score.
    [ValidationStep]
    void Validate(Batch batch) => Score(batch);

    [TestStep]
    void Evaluate(Batch batch) => Score(batch);

    void Score(Batch batch)
    {
        var logits = model.call(batch.Input);
        accuracy.Update(logits, batch.Target);
        loss.Update(nn.functional.cross_entropy(logits, batch.Target));
    }

    [OnEvent(Events.Started)]
    void Summarize() => new ModelSummary(model).Write(output);

    [OnEvent(Events.IterationCompleted)]
    void AfterIteration(in PipelineState state)
    {
        schedule.Step(in state);
        progress.Update(in state);
    }

    [OnEvent(Events.IterationCompleted, Every = 50)]
    void LogTraining(in PipelineState state)
    {
        // progress.SmoothedLoss is already on the host when a line was drawn; state.Loss is one sync per 50 iterations.
        var trainLoss = state.Loss;
        tensorboard.LogScalar("train/loss", trainLoss, state.Iteration);
        tensorboard.LogLearningRates(optimizer, state.Iteration);
        csv.Log(in state, trainLoss, null, null, optimizer.ParamGroups.First().LearningRate);
    }

    [OnEvent(Events.EpochCompleted)]
    void AfterEpoch(in PipelineState state)
    {
        progress.EpochCompleted(in state);
        double validationLoss = loss.Compute(), validationAccuracy = accuracy.Compute();
        var lr = optimizer.ParamGroups.First().LearningRate;
        table.Add(in state, validationLoss, validationAccuracy, lr);
        table.Write(output);
        csv.Log(in state, null, validationLoss, validationAccuracy, lr);
        tensorboard.LogScalars(state.Iteration, ("val/loss", validationLoss), ("val/accuracy", validationAccuracy));
        // A best-k file when the score ranks, and last.ckpt: everything an exact resume needs.
        state.Checkpoints?.SaveBest(checkpoints, validationAccuracy);
        if (earlyStopping.Step(in state, validationAccuracy))
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"early stopping after epoch {state.Epoch}: no better validation accuracy than {earlyStopping.Best:F4} for {Patience} epochs"));
    }

    [OnEvent(Events.Completed)]
    void Finish()
    {
        tensorboard.EndSession();
        tensorboard.Flush();
    }

    /// <summary>Disposes the model, the optimizer, the metrics and the loggers.</summary>
    public void Dispose()
    {
        progress.Dispose();
        csv.Dispose();
        tensorboard.Dispose();
        optimizer.Dispose();
        model.Dispose();
        accuracy.Dispose();
        loss.Dispose();
    }
}
