using Pipelines.Runtime.Tests.Checkpoints;
using Xunit.Abstractions;

namespace Pipelines.Runtime.Tests.MixedPrecision;

/// <summary>
/// A small CNN trained on real Fashion-MNIST under <c>bf16-mixed</c> and under <c>32-true</c> from
/// the same seed and data order. Short, because bfloat16 autocast is slow on CPUs without bfloat16
/// instructions (docs/precision.md).
/// </summary>
[Collection(GlobalRandomState.Name)]
public sealed class MixedPrecisionTrainingTests(ITestOutputHelper output)
{
    /// <summary>How far below the float32 run's validation accuracy the bf16-mixed run may end.</summary>
    const double AccuracyMargin = 0.03;

    [SkippableFact]
    public void The_CNN_learns_under_bf16_mixed_about_as_well_as_in_float32()
    {
        Skip.IfNot(File.Exists(Path.Combine(FashionMnist.DebianDirectory, "train-images-idx3-ubyte.gz")),
            $"Fashion-MNIST is not installed in {FashionMnist.DebianDirectory} (Debian package dataset-fashion-mnist)");
        var (trainImages, trainLabels) = FashionMnist.Load(FashionMnist.DebianDirectory, train: true);
        var (testImages, testLabels) = FashionMnist.Load(FashionMnist.DebianDirectory, train: false);
        using var _ = trainImages;
        using var __ = trainLabels;
        using var ___ = testImages;
        using var ____ = testLabels;

        var threads = get_num_threads();
        set_num_threads(1);
        try
        {
            var (float32Accuracy, float32Losses) = Train(PrecisionMode.Float32, trainImages, trainLabels, testImages, testLabels);
            var (mixedAccuracy, mixedLosses) = Train(PrecisionMode.BFloat16Mixed, trainImages, trainLabels, testImages, testLabels);

            output.WriteLine($"validation accuracy: 32-true {float32Accuracy:F4}, bf16-mixed {mixedAccuracy:F4}");
            var losses = string.Join(", ", mixedLosses.Select(l => l.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)));
            Assert.True(mixedLosses[^1] < mixedLosses[0] * 0.7, $"the bf16-mixed loss did not fall: {losses}");
            Assert.True(mixedAccuracy > 0.6, $"bf16-mixed validation accuracy {mixedAccuracy}");
            Assert.True(mixedAccuracy > float32Accuracy - AccuracyMargin,
                $"bf16-mixed accuracy {mixedAccuracy} is more than {AccuracyMargin} below float32's {float32Accuracy} (float32 losses {string.Join(", ", float32Losses)}, bf16-mixed {losses})");
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    static (double Accuracy, List<double> Losses) Train(PrecisionMode precision, Tensor trainImages, Tensor trainLabels, Tensor testImages, Tensor testLabels)
    {
        using var train = new TensorDataLoader(trainImages, trainLabels, batchSize: 64, shuffle: true, seed: 0);
        using var test = new TensorDataLoader(testImages, testLabels, batchSize: 500);
        manual_seed(0);
        using var pipeline = new SmallFashionCnn();
        var result = pipeline.Fit(train, test, new FitOptions
        {
            Seed = 0,
            Precision = precision,
            LimitTrainBatches = 100,
            LimitValidationBatches = 4,
            Output = TextWriter.Null,
        });
        Assert.Equal(100, result.Iterations);
        return (result.Metrics.Accuracy!.Value, pipeline.WindowLosses);
    }
}
