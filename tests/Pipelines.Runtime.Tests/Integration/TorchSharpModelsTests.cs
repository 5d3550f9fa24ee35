namespace Pipelines.Runtime.Tests.Integration;

/// <summary>
/// The user's own TorchSharp models train through generated pipelines unchanged: a custom
/// <c>Module&lt;Tensor, Tensor&gt;</c> with a transformer encoder, and TorchVision's ResNet-18. This
/// project builds with the generator and the analyzers as a user's does and warnings as errors, so
/// its compiling is the proof that neither reports anything on these classes.
/// </summary>
[Collection(Pipelines.Runtime.Tests.Checkpoints.GlobalRandomState.Name)]
public sealed class TorchSharpModelsTests
{
    static double Mean(IEnumerable<double> values) => values.Average();

    sealed class DisposableList(params IDisposable[] items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in items)
                item.Dispose();
        }
    }

    [Fact]
    public void A_custom_transformer_module_learns_a_sequence_task()
    {
        var (trainTokens, trainClasses) = TorchSharpModelData.Sequences(512, seed: 1);
        var (validationTokens, validationClasses) = TorchSharpModelData.Sequences(256, seed: 2);
        using var tensors = new DisposableList(trainTokens, trainClasses, validationTokens, validationClasses);
        using var train = new BatchLoader(trainTokens, trainClasses, new BatchLoaderOptions { BatchSize = 32, Shuffle = true, Seed = 1 });
        using var validation = new BatchLoader(validationTokens, validationClasses, new BatchLoaderOptions { BatchSize = 64 });
        using var pipeline = new SequenceClassifier();

        var result = pipeline.Fit(train, validation, new FitOptions { MaxEpochs = 6, Seed = 5 });

        var perEpoch = train.Count;
        Assert.Equal(6 * perEpoch, pipeline.Losses.Count);
        var first = Mean(pipeline.Losses.Take(perEpoch));
        var last = Mean(pipeline.Losses.TakeLast(perEpoch));
        Assert.True(last < first * 0.5, $"the training loss fell only from {first:F4} to {last:F4}");
        Assert.True(result.Metrics.Accuracy > 0.9, $"validation accuracy {result.Metrics.Accuracy}");
    }

    [SkippableFact]
    public void A_torchvision_resnet_learns_fashion_mnist()
    {
        Skip.IfNot(File.Exists(Path.Combine(FashionMnist.DebianDirectory, "train-images-idx3-ubyte.gz"))
            || File.Exists(Path.Combine(FashionMnist.DebianDirectory, "train-images-idx3-ubyte")),
            $"Fashion-MNIST is not in {FashionMnist.DebianDirectory} (apt-get install dataset-fashion-mnist; ./run.sh test installs it).");
        var (images, labels) = FashionMnist.Load(FashionMnist.DebianDirectory, train: true);
        using (images)
        using (labels)
        {
            using var subset = images.narrow(0, 0, 640);
            using var subsetLabels = labels.narrow(0, 0, 640);
            using var train = new BatchLoader(subset, subsetLabels, new BatchLoaderOptions { BatchSize = 32, Shuffle = true, Seed = 3 });
            // The initial weights come from libtorch's global generator: seeded here, and the class shares it with no other test.
            torch.manual_seed(3);
            using var pipeline = new ResNetClassifier();

            pipeline.Fit(train, options: new FitOptions { MaxEpochs = 3, Seed = 3 });

            var perEpoch = train.Count;
            var first = Mean(pipeline.Losses.Take(perEpoch));
            var last = Mean(pipeline.Losses.TakeLast(perEpoch));
            Assert.True(last < first * 0.8, $"the training loss fell only from {first:F4} to {last:F4}");
        }
    }
}
