using Pipelines.Data;
using static TorchSharp.torch;

namespace FashionMnistSample;

/// <summary>
/// Copies each batch's images, still shaped [N, C, H, W], into channels-last (NHWC) strides, the layout that
/// PyTorch's <c>x.to(memory_format=torch.channels_last)</c> gives. libtorch picks the layout from the strides: the
/// convolutions (oneDNN), batch norm, ReLU and max pooling then run channels-last and keep it, and the sample's
/// training step takes about 27 % less time on CPU (bench/README.md). TorchSharp 0.107 has no memory-format
/// argument, and for one channel <c>permute</c> + <c>contiguous</c> keeps the NCHW strides, hence the strided copy.
/// </summary>
public sealed class ChannelsLastImages : IBatchTransform
{
    /// <summary>The transform (it holds no state).</summary>
    public static ChannelsLastImages Instance { get; } = new();

    ChannelsLastImages()
    {
    }

    /// <inheritdoc />
    public Batch Apply(Batch batch, in BatchContext context)
    {
        var x = batch.Input;
        if (x.ndim != 4)
            throw new ArgumentException($"ChannelsLastImages needs images shaped [N, C, H, W]; got {x.ndim} dimension(s).");
        var (n, c, h, w) = (x.size(0), x.size(1), x.size(2), x.size(3));
        return new Batch(empty_strided([n, c, h, w], [h * w * c, 1, w * c, c], x.dtype, x.device).copy_(x), batch.Target);
    }
}
