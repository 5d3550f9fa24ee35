namespace Pipelines.Torch.Modules;

/// <summary>2-D convolution over (N, C_in, H, W) input (PyTorch's <c>nn.Conv2d</c>).</summary>
public sealed class Conv2d : ConvNd
{
    internal Conv2d(long in_channels, long out_channels, long[] kernel_size, long[] stride, long[] padding, long[] dilation, long groups, bool hasBias, Device? device, ScalarType? dtype, torch.nn.PaddingModes padding_mode)
        : base("Conv2d", in_channels, out_channels, kernel_size, stride, padding, dilation, groups, hasBias, device, dtype, padding_mode)
    {
    }

    /// <inheritdoc />
    private protected override Tensor Convolve(Tensor input, long[] padding) =>
        torch.nn.functional.conv2d(input, weight, bias, stride, padding, dilation, groups);
}
