namespace Pipelines.Torch.Modules;

/// <summary>Softmax along one dimension (PyTorch's <c>nn.Softmax</c>).</summary>
public sealed class Softmax : Module<Tensor, Tensor>
{
    internal Softmax(long dim) : base("Softmax") => this.dim = dim;

    /// <summary>The dimension the values are normalised along.</summary>
    public long dim { get; }

    /// <summary>Applies the function along <see cref="dim"/>.</summary>
    public override Tensor forward(Tensor input) => torch.nn.functional.softmax(input, dim);
}
