namespace Pipelines.Torch.Modules;

/// <summary>A lookup table of <see cref="num_embeddings"/> vectors (PyTorch's <c>nn.Embedding</c>); weights start normal(0, 1), the padding row at zero.</summary>
public sealed class Embedding : Module<Tensor, Tensor>
{
    internal Embedding(long num_embeddings, long embedding_dim, long? padding_idx, Device? device, ScalarType? dtype) : base("Embedding")
    {
        ModuleInit.Positive([num_embeddings, embedding_dim], "num_embeddings and embedding_dim");
        if (padding_idx is { } p && (p >= num_embeddings || p < -num_embeddings))
            throw new ArgumentOutOfRangeException(nameof(padding_idx), padding_idx, $"padding_idx must be within the {num_embeddings} embeddings.");
        this.num_embeddings = num_embeddings;
        this.embedding_dim = embedding_dim;
        this.padding_idx = padding_idx < 0 ? padding_idx + num_embeddings : padding_idx;
        weight = ModuleInit.Normal([num_embeddings, embedding_dim], device, dtype);
        if (this.padding_idx is { } row)
        {
            using var noGrad = torch.no_grad();
            using var padding = weight.select(0, row);
            padding.zero_();
        }
        register_parameter(nameof(weight), weight);
    }

    /// <summary>The number of vectors.</summary>
    public long num_embeddings { get; }

    /// <summary>The size of each vector.</summary>
    public long embedding_dim { get; }

    /// <summary>The row that gets no gradient (kept at its value, zero at first), if any.</summary>
    public long? padding_idx { get; }

    /// <summary>The (num_embeddings, embedding_dim) table.</summary>
    public Parameter weight { get; }

    /// <summary>Looks up the rows named by the integer <paramref name="input"/>.</summary>
    public override Tensor forward(Tensor input) => torch.nn.functional.embedding(input, weight, padding_idx);
}
