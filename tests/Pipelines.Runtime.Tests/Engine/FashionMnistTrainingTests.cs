namespace Pipelines.Runtime.Tests.Engine;

/// <summary>Real training through a generated pipeline: the sample's MLP on the Debian Fashion-MNIST files.</summary>
public sealed class FashionMnistTrainingTests
{
    [SkippableFact]
    public void A_generated_pipeline_trains_an_MLP_above_80_percent_in_one_epoch()
    {
        Skip.IfNot(File.Exists(Path.Combine(FashionMnist.DebianDirectory, "train-images-idx3-ubyte.gz")),
            $"Fashion-MNIST is not installed in {FashionMnist.DebianDirectory} (Debian package dataset-fashion-mnist)");
        var (trainImages, trainLabels) = FashionMnist.Load(FashionMnist.DebianDirectory, train: true);
        var (testImages, testLabels) = FashionMnist.Load(FashionMnist.DebianDirectory, train: false);
        using var _ = trainImages;
        using var __ = trainLabels;
        using var ___ = testImages;
        using var ____ = testLabels;
        using var train = new TensorDataLoader(trainImages, trainLabels, batchSize: 64, shuffle: true, seed: 0);
        using var test = new TensorDataLoader(testImages, testLabels, batchSize: 1000);
        manual_seed(0);
        using var pipeline = new FashionMnistMlp();

        // One intra-op thread: this MLP gains little from a second one, and on a busy 2-core runner
        // (test classes run in parallel) oversubscribed libtorch threads made the epoch 10x slower.
        var threads = get_num_threads();
        set_num_threads(1);
        FitResult<FashionMnistMlp.Metrics, FashionMnistMlp.Hyperparameters> result;
        try
        {
            result = pipeline.Fit(train, test, new FitOptions { Seed = 0 });
        }
        finally
        {
            set_num_threads(threads);
        }

        Assert.Equal(938, result.Iterations);
        Assert.Equal(938, result.OptimizerSteps);
        Assert.True(result.Metrics.Accuracy > 0.80, $"validation accuracy {result.Metrics.Accuracy}");
        Assert.Equal(9, pipeline.WindowLosses.Count);
        Assert.True(pipeline.WindowLosses[^1] < pipeline.WindowLosses[0] * 0.6,
            $"the loss did not fall: {string.Join(", ", pipeline.WindowLosses.Select(l => l.ToString("F3")))}");
        Assert.Equal(1e-3, result.Hyperparameters.LearningRate);
    }
}
