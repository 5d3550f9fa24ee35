namespace Pipelines.Torch.Modules;

/// <summary>2-D average pooling (PyTorch's <c>nn.AvgPool2d</c>).</summary>
public sealed class AvgPool2d : Module<Tensor, Tensor>
{
    internal AvgPool2d(long[] kernel_size, long[] stride, long[] padding, bool ceil_mode, bool count_include_pad, long? divisor_override) : base("AvgPool2d") =>
        (this.kernel_size, this.stride, this.padding, this.ceil_mode, this.count_include_pad, this.divisor_override) =
        (kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override);

    /// <summary>The window (kH, kW).</summary>
    public long[] kernel_size { get; }

    /// <summary>The step (sH, sW).</summary>
    public long[] stride { get; }

    /// <summary>Implicit zero padding on both sides.</summary>
    public long[] padding { get; }

    /// <summary>Whether the output size rounds up instead of down.</summary>
    public bool ceil_mode { get; }

    /// <summary>Whether padded zeros count in the average.</summary>
    public bool count_include_pad { get; }

    /// <summary>A fixed divisor instead of the window size, if set.</summary>
    public long? divisor_override { get; }

    /// <summary>Pools the two trailing dimensions.</summary>
    public override Tensor forward(Tensor input) =>
        torch.nn.functional.avg_pool2d(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override);
}
