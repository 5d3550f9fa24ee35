namespace Pipelines.Torch.Modules;

/// <summary>x * sigmoid(x), elementwise (PyTorch's <c>nn.SiLU</c>).</summary>
public sealed class SiLU : Module<Tensor, Tensor>
{
    internal SiLU() : base("SiLU") { }

    /// <summary>Applies the function elementwise.</summary>
    public override Tensor forward(Tensor input) => torch.nn.functional.silu(input);
}
