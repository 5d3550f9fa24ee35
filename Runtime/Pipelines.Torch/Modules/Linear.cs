namespace Pipelines.Torch.Modules;

/// <summary><c>y = x Wᵀ + b</c> (PyTorch's <c>nn.Linear</c>); weight and bias start uniform in ±1/sqrt(in_features).</summary>
public sealed class Linear : Module<Tensor, Tensor>
{
    internal Linear(long in_features, long out_features, bool hasBias, Device? device, ScalarType? dtype) : base("Linear")
    {
        ModuleInit.Positive([out_features], nameof(out_features));
        if (in_features < 0)
            throw new ArgumentOutOfRangeException(nameof(in_features), in_features, "in_features must not be negative.");
        this.in_features = in_features;
        this.out_features = out_features;
        var bound = ModuleInit.Bound(in_features);
        weight = ModuleInit.Uniform([out_features, in_features], bound, device, dtype);
        register_parameter(nameof(weight), weight);
        bias = hasBias ? ModuleInit.Uniform([out_features], bound, device, dtype) : null;
        register_parameter(nameof(bias), bias);
    }

    /// <summary>The size of each input sample.</summary>
    public long in_features { get; }

    /// <summary>The size of each output sample.</summary>
    public long out_features { get; }

    /// <summary>The (out_features, in_features) weight.</summary>
    public Parameter weight { get; }

    /// <summary>The (out_features) bias, or null when the layer has none.</summary>
    public Parameter? bias { get; }

    /// <summary>One native call: <c>at::linear</c>.</summary>
    public override Tensor forward(Tensor input) => torch.nn.functional.linear(input, weight, bias);
}
