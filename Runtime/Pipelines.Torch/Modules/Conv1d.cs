namespace Pipelines.Torch.Modules;

/// <summary>1-D convolution over (N, C_in, L) input (PyTorch's <c>nn.Conv1d</c>).</summary>
public sealed class Conv1d : ConvNd
{
    internal Conv1d(long in_channels, long out_channels, long[] kernel_size, long[] stride, long[] padding, long[] dilation, long groups, bool hasBias, Device? device, ScalarType? dtype, torch.nn.PaddingModes padding_mode)
        : base("Conv1d", in_channels, out_channels, kernel_size, stride, padding, dilation, groups, hasBias, device, dtype, padding_mode)
    {
    }

    /// <inheritdoc />
    private protected override Tensor Convolve(Tensor input, long[] padding) =>
        torch.nn.functional.conv1d(input, weight, bias, stride, padding, dilation, groups);
}
