namespace Pipelines.Torch.Modules;

/// <summary>Layer normalisation over the trailing <see cref="normalized_shape"/> dimensions (PyTorch's <c>nn.LayerNorm</c>); weight starts at 1, bias at 0.</summary>
public sealed class LayerNorm : Module<Tensor, Tensor>
{
    internal LayerNorm(long[] normalized_shape, double eps, bool elementwise_affine, Device? device, ScalarType? dtype) : base("LayerNorm")
    {
        ArgumentNullException.ThrowIfNull(normalized_shape);
        ModuleInit.Positive(normalized_shape, nameof(normalized_shape));
        (this.normalized_shape, this.eps, this.elementwise_affine) = ((long[])normalized_shape.Clone(), eps, elementwise_affine);
        weight = elementwise_affine ? ModuleInit.Filled(normalized_shape, 1, device, dtype) : null;
        bias = elementwise_affine ? ModuleInit.Filled(normalized_shape, 0, device, dtype) : null;
        register_parameter(nameof(weight), weight);
        register_parameter(nameof(bias), bias);
    }

    /// <summary>The shape of the trailing dimensions normalised together.</summary>
    public long[] normalized_shape { get; }

    /// <summary>Added to the variance for numerical stability.</summary>
    public double eps { get; }

    /// <summary>Whether the layer has a learnable elementwise weight and bias.</summary>
    public bool elementwise_affine { get; }

    /// <summary>The elementwise scale, or null without <see cref="elementwise_affine"/>.</summary>
    public Parameter? weight { get; }

    /// <summary>The elementwise shift, or null without <see cref="elementwise_affine"/>.</summary>
    public Parameter? bias { get; }

    /// <summary>One native call: <c>at::layer_norm</c>.</summary>
    public override Tensor forward(Tensor input) => torch.nn.functional.layer_norm(input, normalized_shape, weight, bias, eps);
}
