namespace Pipelines.Torch.Modules;

/// <summary>Log-softmax along one dimension (PyTorch's <c>nn.LogSoftmax</c>).</summary>
public sealed class LogSoftmax : Module<Tensor, Tensor>
{
    internal LogSoftmax(long dim) : base("LogSoftmax") => this.dim = dim;

    /// <summary>The dimension the values are normalised along.</summary>
    public long dim { get; }

    /// <summary>Applies the function along <see cref="dim"/>.</summary>
    public override Tensor forward(Tensor input) => torch.nn.functional.log_softmax(input, dim);
}
