using System.Diagnostics;
using System.Globalization;
using Pipelines;
using Pipelines.Data;
using Pipelines.Logging;
using Pipelines.Schedulers;
using TorchSharp;
using static TorchSharp.torch;

namespace FashionMnistSample;

/// <summary>
/// The sample end to end: reads the command line (generated from the [Hyperparameter] members),
/// splits Fashion-MNIST's 60,000 training images into 55,000 to train on and 5,000 to validate
/// with (seeded), trains through the generated <c>Fit</c>, then tests the best checkpoint on the
/// 10,000 test images. Callable from tests with their own writers.
/// </summary>
public static class FashionMnistProgram
{
    /// <summary>The training/validation split of the 60,000 training images.</summary>
    public const int ValidationImages = 5_000;

    /// <summary>The prefix of the last line, which reports the test accuracy.</summary>
    public const string ResultPrefix = "test accuracy ";

    /// <summary>Runs the sample; returns the process exit code (0, or 2 for a bad command line).</summary>
    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var clock = Stopwatch.StartNew();
        if (!FashionMnistClassifier.Hyperparameters.TryParse(args, out var hyperparameters, out var exitCode, output, error))
            return exitCode;
        Device device;
        try
        {
            device = torch.device(hyperparameters.Device);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException)
        {
            error.WriteLine($"error: --device: {exception.Message}");
            return 2;
        }
        if (hyperparameters.Threads > 0)
            set_num_threads(hyperparameters.Threads);
        output.WriteLine(LibTorchRuntime.Describe());

        var runDirectory = hyperparameters.RunDirectory
            ?? Path.Combine("runs", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(runDirectory);
        var hparams = HyperparametersFile.Write(Path.Combine(runDirectory, HyperparametersFile.FileName), hyperparameters);

        manual_seed(hyperparameters.Seed);
        using var scope = NewDisposeScope();
        var (images, labels) = FashionMnist.Load(hyperparameters.DataDirectory, train: true);
        var (testImages, testLabels) = FashionMnist.Load(hyperparameters.DataDirectory, train: false);
        var order = randperm(images.size(0));
        var trainCount = images.size(0) - ValidationImages;
        var (trainIndexes, validationIndexes) = (order.narrow(0, 0, trainCount), order.narrow(0, trainCount, ValidationImages));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Fashion-MNIST from {hyperparameters.DataDirectory}: {trainCount} training, {ValidationImages} validation (seed {hyperparameters.Seed}), {testLabels.size(0)} test images"));

        // Normalisation and augmentation run batch-wise on the batch's device, on the prefetch thread.
        using var normalize = new Normalize(0.2860, 0.3530);
        using var crop = hyperparameters.CropPadding > 0 ? new RandomCrop(28, padding: hyperparameters.CropPadding) : null;
        using var flip = hyperparameters.Augment ? new RandomHorizontalFlip() : null;
        var augment = new List<IBatchTransform>();
        if (crop is not null)
            augment.Add(crop);
        if (flip is not null)
            augment.Add(flip);
        augment.Add(normalize);
        using var train = new BatchLoader(images.index_select(0, trainIndexes), labels.index_select(0, trainIndexes), new BatchLoaderOptions
        {
            BatchSize = hyperparameters.BatchSize,
            Shuffle = true,
            Seed = hyperparameters.Seed,
            DropLast = true,
            PrefetchBatches = 2,
            Device = device,
            Transforms = augment,
        });
        using var validation = new BatchLoader(images.index_select(0, validationIndexes), labels.index_select(0, validationIndexes),
            new BatchLoaderOptions { BatchSize = 1000, Device = device, Transforms = [normalize] });
        using var test = new BatchLoader(testImages, testLabels, new BatchLoaderOptions { BatchSize = 1000, Device = device, Transforms = [normalize] });

        output.WriteLine($"logs: {Path.Combine(runDirectory, "metrics.csv")}, TensorBoard events and {hparams} (tensorboard --logdir {runDirectory})");
        output.WriteLine($"checkpoints: {Path.Combine(runDirectory, "checkpoints")} (the 2 best by validation accuracy, and last.ckpt)");
        using var classifier = new FashionMnistClassifier(hyperparameters, train, runDirectory, device, output);
        if (hyperparameters.FindLr)
            return FindLearningRate(classifier, train, output);
        // Ctrl-C: the first finishes the iteration and writes checkpoints/last.ckpt; a second aborts.
        using var interrupt = new ConsoleInterrupt(output);
        var result = classifier.Fit(train, validation, new FitOptions
        {
            MaxEpochs = hyperparameters.Epochs,
            Seed = hyperparameters.Seed,
            FastDevRun = hyperparameters.FastDevRun,
            LimitTrainBatches = hyperparameters.LimitTrainBatches,
            Device = device,
            ResumeFrom = hyperparameters.Resume,
            // The epoch-end checkpoints come from the best-k keeper (its last.ckpt); this directory
            // receives the one an interruption writes.
            Checkpoints = new CheckpointOptions { Directory = Path.Combine(runDirectory, "checkpoints"), AtEpochEnd = false },
        }, interrupt.Token);
        if (result.ResumedFrom is { } resumedFrom)
            output.WriteLine($"resumed from {hyperparameters.Resume} at epoch {resumedFrom.Epoch}, iteration {resumedFrom.Iteration}" +
                (result.HyperparameterChanges.Count > 0 ? "; changed since: " + string.Join(", ", result.HyperparameterChanges) : ""));
        if (result.Interrupted)
        {
            output.WriteLine($"interrupted after iteration {result.Iterations}; continue with: ./run.sh sample --resume {result.LastCheckpoint}");
            return 0;
        }

        // Lightning's trainer.test(ckpt_path="best"): the weights of the best validation epoch.
        var best = classifier.BestCheckpointPath ?? classifier.LastCheckpointPath;
        classifier.LoadWeights(best);
        var metrics = classifier.Test(test);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"best checkpoint: {best}; last: {classifier.LastCheckpointPath}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{ResultPrefix}{metrics.Accuracy:F4}, test loss {metrics.Loss:F4} after {result.Epochs} epoch(s), {result.OptimizerSteps} steps; training {result.Elapsed.TotalSeconds:F0} s, total {clock.Elapsed.TotalSeconds:F0} s"));
        return 0;
    }

    /// <summary>The range test's curve, every tenth point, and its suggestion for <c>--learning-rate</c>.</summary>
    static int FindLearningRate(FashionMnistClassifier classifier, BatchLoader train, TextWriter output)
    {
        // Generated from the [TrainingStep]; the model, the optimizer and the schedule's rate are as they were afterwards.
        var result = classifier.FindLearningRate(train, new LearningRateFinder(minLr: 1e-6, maxLr: 1));
        output.WriteLine("learning rate  smoothed loss");
        for (var i = 0; i < result.Rates.Count; i += 10)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Rates[i],13:G3}  {result.Losses[i],13:F4}"));
        output.WriteLine(result.Diverged
            ? string.Create(CultureInfo.InvariantCulture, $"the loss diverged at {result.Rates[^1]:G3}")
            : "the loss did not diverge below the last rate");
        output.WriteLine(result.Suggestion() is { } suggestion
            ? string.Create(CultureInfo.InvariantCulture, $"suggested learning rate: {suggestion:G3} (the steepest fall; the one-cycle peak is often set a few times higher)")
            : "no suggestion: too few finite points");
        return 0;
    }
}
