using Pipelines;
using Pipelines.CommandLine;
using Pipelines.Data;
using Pipelines.Handlers;
using Pipelines.Schedulers;
using static TorchSharp.torch;

namespace FashionMnistSample;

/// <summary>
/// The sample end to end: reads the command line (hyperparameters and trainer settings), splits
/// Fashion-MNIST's 60,000 training images into 55,000 to train on and 5,000 to validate with
/// (seeded), trains through the generated <c>Fit</c>, then tests the best checkpoint on the 10,000
/// test images. Callable from tests with their own writers.
/// </summary>
public static class FashionMnistProgram
{
    /// <summary>The training/validation split of the 60,000 training images.</summary>
    public const int ValidationImages = 5_000;

    /// <summary>The prefix of the last line, which reports the test accuracy.</summary>
    public const string ResultPrefix = "test accuracy ";

    /// <summary>The sample's trainer defaults: 6 epochs, seed 42, 2 threads, early stopping after 3 validations without a better accuracy, Debian's Fashion-MNIST files.</summary>
    public static TrainerSettings Defaults { get; } = new() { Fit = new() { MaxEpochs = 6, Seed = 42 }, Threads = 2, Patience = 3, DataDirectory = FashionMnist.DebianDirectory };

    /// <summary>Runs the sample; returns the process exit code (0; 2 for a bad command line; 1 for a failed run).</summary>
    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        // In a job of several processes (./run.sh sample --processes N: Fit trains with the ddp strategy) rank 0 speaks.
        output = DataShard.Launcher.Rank == 0 ? output ?? Console.Out : TextWriter.Null;
        if (!FashionMnistClassifier.Hyperparameters.TryParse(args, Defaults, out var hyperparameters, out var trainer, out var exitCode, output, error ??= Console.Error))
            return exitCode;
        return CommandLineRun.Catch(error, () => Train(hyperparameters, trainer, output));
    }

    static int Train(FashionMnistClassifier.Hyperparameters hyperparameters, TrainerSettings trainer, TextWriter output)
    {
        // Seeds libtorch (--seed) before the split and the model's initial weights; Fit places the model and the loaders' batches (--device).
        var options = trainer.PrepareRun(output);
        var data = trainer.DataDirectory ?? FashionMnist.DebianDirectory;
        using var scope = NewDisposeScope();
        // Both files are read and checked before anything is written.
        var (images, labels) = FashionMnist.Load(data, train: true);
        var (testImages, testLabels) = FashionMnist.Load(data, train: false);
        var (trainSet, validationSet) = RandomSplit.Of(images, labels, ValidationImages);
        output.WriteLine(LibTorchRuntime.Describe());
        output.WriteLine($"Fashion-MNIST from {data}: {trainSet.Targets.size(0)} training, {ValidationImages} validation (seed {options.Seed}), {testLabels.size(0)} test images; logs and checkpoints in {options.RunDirectory}");

        // Normalisation, augmentation and the channels-last copy (bench/README.md) run batch-wise on the batch's device, on the prefetch thread.
        using var normalize = new Normalize(0.2860, 0.3530);
        using var crop = hyperparameters.CropPadding > 0 ? new RandomCrop(28, padding: hyperparameters.CropPadding) : null;
        using var flip = hyperparameters.Augment ? new RandomHorizontalFlip() : null;
        IBatchTransform[] augment = [.. new IBatchTransform?[] { crop, flip }.OfType<IBatchTransform>(), normalize, ChannelsLastImages.Instance];
        using var train = new BatchLoader(trainSet.Inputs, trainSet.Targets, new() { BatchSize = hyperparameters.BatchSize, Shuffle = true, Seed = options.Seed, DropLast = true, PrefetchBatches = 2, Transforms = augment });
        using var validation = new BatchLoader(validationSet.Inputs, validationSet.Targets, new() { BatchSize = 1000, Transforms = [normalize, ChannelsLastImages.Instance] });
        using var test = new BatchLoader(testImages, testLabels, new() { BatchSize = 1000, Transforms = [normalize, ChannelsLastImages.Instance] });

        using var classifier = new FashionMnistClassifier(hyperparameters, FashionMnist.Classes.Count);
        if (trainer.FindLr)
        {
            // Lightning's lr_find: the curve and the steepest fall; the model and optimizer are left as they were.
            classifier.FindLearningRate(train, new LearningRateFinder(minLr: 1e-6, maxLr: 1), options.Device).Write(output);
            return 0;
        }
        // Lightning's Trainer(callbacks=[ModelCheckpoint(...), EarlyStopping(...)]) on the pipeline's typed metric keys; the progress bar,
        // table, model summary and loggers (learning rates included) are Fit's defaults. Both are checkpointed and resumed.
        var accuracy = FashionMnistClassifier.Metrics.Val.Accuracy;
        ICallback[] callbacks = [new BestCheckpoints(accuracy, MonitorMode.Max, keep: 2), .. trainer.Patience is { } patience ? [new EarlyStopping(accuracy, MonitorMode.Max, patience)] : Array.Empty<ICallback>()];
        // Ctrl-C: the first finishes the iteration and writes checkpoints/last.ckpt (Fit says where); a second aborts.
        using var interrupt = new ConsoleInterrupt(output);
        var result = classifier.Fit(train, validation, options with { Callbacks = callbacks }, interrupt.Token);
        if (result.Interrupted)
            return 0;
        // Lightning's trainer.test(ckpt_path="best"), in the trainer's precision.
        var metrics = classifier.Test(test, TestCheckpoint.Best, options.Precision);
        output.WriteLine(FormattableString.Invariant($"{ResultPrefix}{metrics.Accuracy:F4}, test loss {metrics.Loss:F4} (best checkpoint) after {result.Epochs} epoch(s), {result.OptimizerSteps} steps, {result.Elapsed.TotalSeconds:F0} s"));
        return 0;
    }
}
