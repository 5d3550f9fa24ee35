using FashionMnistSample;
using Pipelines.Data;
using static TorchSharp.torch;

namespace FashionMnist.Tests;

/// <summary>The sample's channels-last transform: NHWC strides, the same values, and the model reads them as NCHW.</summary>
public sealed class ChannelsLastImagesTests
{
    [Theory]
    [InlineData(1L)]
    [InlineData(3L)]
    public void Images_get_NHWC_strides_and_keep_shape_and_values(long channels)
    {
        using var scope = NewDisposeScope();
        var images = rand(4, channels, 5, 6);
        var targets = tensor(new long[] { 0, 1, 2, 3 });

        var batch = ChannelsLastImages.Instance.Apply(new Batch(images, targets), new BatchContext(0, 1, 0));

        Assert.Equal(images.shape, batch.Input.shape);
        Assert.Equal(new[] { 30 * channels, 1, 6 * channels, channels }, batch.Input.stride());
        Assert.True(batch.Input.eq(images).all().item<bool>());
        Assert.Same(targets, batch.Target);
    }

    [Fact]
    public void The_sample_model_gives_the_same_outputs_and_gradients_on_channels_last_images()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var model = FashionMnistClassifier.CreateModel(0);
        var images = randn(8, 1, 28, 28);
        var targets = tensor(new long[] { 0, 1, 2, 3, 4, 5, 6, 7 });
        var nhwc = ChannelsLastImages.Instance.Apply(new Batch(images, targets), new BatchContext(0, 1, 0)).Input;

        var (output, gradient) = ForwardBackward(model, images, targets);
        var (nhwcOutput, nhwcGradient) = ForwardBackward(model, nhwc, targets);

        Assert.True(nhwcOutput.allclose(output, rtol: 1e-4, atol: 1e-5));
        Assert.True(nhwcGradient.allclose(gradient, rtol: 1e-3, atol: 1e-5));
    }

    static (Tensor Output, Tensor Gradient) ForwardBackward(nn.Module<Tensor, Tensor> model, Tensor images, Tensor targets)
    {
        model.zero_grad();
        var output = model.call(images);
        nn.functional.cross_entropy(output, targets).backward();
        var gradient = model.parameters().First().grad!.clone();
        return (output.detach(), gradient);
    }
}
