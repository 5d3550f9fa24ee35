namespace Pipelines.Torch.Modules;

/// <summary>max(0, x), elementwise (PyTorch's <c>nn.ReLU</c>).</summary>
public sealed class ReLU : Module<Tensor, Tensor>
{
    internal ReLU() : base("ReLU") { }

    /// <summary>Applies the function elementwise.</summary>
    public override Tensor forward(Tensor input) => torch.nn.functional.relu(input);
}
