namespace Pipelines.Torch.Modules;

/// <summary>2-D convolution over (N, C_in, H, W) input (PyTorch's <c>nn.Conv2d</c>).</summary>
public sealed class Conv2d : ConvNd
{
    internal Conv2d(long in_channels, long out_channels, long[] kernel_size, long[] stride, long[] padding, long[] dilation, long groups, bool hasBias, Device? device, ScalarType? dtype, torch.nn.PaddingModes padding_mode)
        : base("Conv2d", in_channels, out_channels, kernel_size, stride, padding, dilation, groups, hasBias, device, dtype, padding_mode)
    {
    }

    /// <summary><c>at::conv2d</c>, after padding the input when the mode is not zeros.</summary>
    public override Tensor forward(Tensor input)
    {
        var padded = Padded(input);
        try
        {
            return torch.nn.functional.conv2d(padded, weight, bias, stride, convolutionPadding, dilation, groups);
        }
        finally
        {
            if (!ReferenceEquals(padded, input))
                padded.Dispose();
        }
    }
}
