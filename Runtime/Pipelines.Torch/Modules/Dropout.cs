namespace Pipelines.Torch.Modules;

/// <summary>Zeroes elements with probability <see cref="p"/> in training mode; the identity in evaluation mode (PyTorch's <c>nn.Dropout</c>).</summary>
public sealed class Dropout : Module<Tensor, Tensor>
{
    internal Dropout(double p) : base("Dropout")
    {
        if (p is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(p), p, "The dropout probability must be between 0 and 1.");
        this.p = p;
    }

    /// <summary>The probability of zeroing an element.</summary>
    public double p { get; }

    /// <summary>Drops elements when <see cref="Module.training"/> is set.</summary>
    public override Tensor forward(Tensor input) => torch.nn.functional.dropout(input, p, training);
}
