namespace Pipelines.Torch.Modules;

/// <summary>Average pooling to a fixed output size, whatever the input size (PyTorch's <c>nn.AdaptiveAvgPool2d</c>).</summary>
public sealed class AdaptiveAvgPool2d : Module<Tensor, Tensor>
{
    internal AdaptiveAvgPool2d(long[] output_size) : base("AdaptiveAvgPool2d") => this.output_size = output_size;

    /// <summary>The output (H, W).</summary>
    public long[] output_size { get; }

    /// <summary>Pools the two trailing dimensions to <see cref="output_size"/>.</summary>
    public override Tensor forward(Tensor input) => torch.nn.functional.adaptive_avg_pool2d(input, output_size);
}
