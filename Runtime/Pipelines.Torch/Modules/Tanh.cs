namespace Pipelines.Torch.Modules;

/// <summary>Hyperbolic tangent, elementwise (PyTorch's <c>nn.Tanh</c>).</summary>
public sealed class Tanh : Module<Tensor, Tensor>
{
    internal Tanh() : base("Tanh") { }

    /// <summary>Applies the function elementwise.</summary>
    public override Tensor forward(Tensor input) => torch.nn.functional.tanh(input);
}
