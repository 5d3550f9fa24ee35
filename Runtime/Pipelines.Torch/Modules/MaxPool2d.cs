namespace Pipelines.Torch.Modules;

/// <summary>2-D max pooling (PyTorch's <c>nn.MaxPool2d</c>).</summary>
public sealed class MaxPool2d : Module<Tensor, Tensor>
{
    internal MaxPool2d(long[] kernel_size, long[] stride, long[] padding, long[] dilation, bool ceil_mode) : base("MaxPool2d") =>
        (this.kernel_size, this.stride, this.padding, this.dilation, this.ceil_mode) = (kernel_size, stride, padding, dilation, ceil_mode);

    /// <summary>The window (kH, kW).</summary>
    public long[] kernel_size { get; }

    /// <summary>The step (sH, sW).</summary>
    public long[] stride { get; }

    /// <summary>Implicit negative-infinity padding on both sides.</summary>
    public long[] padding { get; }

    /// <summary>The spacing between window elements.</summary>
    public long[] dilation { get; }

    /// <summary>Whether the output size rounds up instead of down.</summary>
    public bool ceil_mode { get; }

    /// <summary>Pools the two trailing dimensions.</summary>
    public override Tensor forward(Tensor input) => torch.nn.functional.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode);
}
