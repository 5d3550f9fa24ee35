namespace Pipelines.Torch.Modules;

/// <summary>Flattens a range of dimensions into one, by default all but the batch dimension (PyTorch's <c>nn.Flatten</c>).</summary>
public sealed class Flatten : Module<Tensor, Tensor>
{
    internal Flatten(long start_dim, long end_dim) : base("Flatten") => (this.start_dim, this.end_dim) = (start_dim, end_dim);

    /// <summary>The first dimension flattened.</summary>
    public long start_dim { get; }

    /// <summary>The last dimension flattened.</summary>
    public long end_dim { get; }

    /// <summary>Flattens <see cref="start_dim"/> to <see cref="end_dim"/>.</summary>
    public override Tensor forward(Tensor input) => torch.nn.functional.flatten(input, start_dim, end_dim);
}
