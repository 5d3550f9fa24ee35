namespace Pipelines.Torch.Modules;

/// <summary>Gaussian error linear unit, elementwise (PyTorch's <c>nn.GELU</c>).</summary>
public sealed class GELU : Module<Tensor, Tensor>
{
    internal GELU(string approximate) : base("GELU")
    {
        if (approximate is not ("none" or "tanh"))
            throw new ArgumentException($"approximate must be \"none\" or \"tanh\", not \"{approximate}\".", nameof(approximate));
        this.approximate = approximate;
    }

    /// <summary>"none" (exact, with erf) or "tanh".</summary>
    public string approximate { get; }

    /// <summary>Applies the function elementwise.</summary>
    public override Tensor forward(Tensor input) => torch.nn.functional.gelu(input, approximate);
}
