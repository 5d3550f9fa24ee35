namespace Pipelines.Torch.Modules;

/// <summary>Logistic sigmoid, elementwise (PyTorch's <c>nn.Sigmoid</c>).</summary>
public sealed class Sigmoid : Module<Tensor, Tensor>
{
    internal Sigmoid() : base("Sigmoid") { }

    /// <summary>Applies the function elementwise.</summary>
    public override Tensor forward(Tensor input) => torch.nn.functional.sigmoid(input);
}
