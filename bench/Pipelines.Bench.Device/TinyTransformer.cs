using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Bench.DeviceStep;

/// <summary>
/// A small decoder-only Transformer (bench/gpu_steps.py defines the same one in PyTorch): token and position
/// embeddings, <see cref="Layers"/> pre-norm blocks (causal self-attention through
/// <c>scaled_dot_product_attention</c>, then a GELU MLP of 4 x width), a final LayerNorm and a linear head.
/// Its output is the next-token logits flattened to [batch x length, vocabulary], so that cross-entropy takes it
/// as it takes the CNN's.
/// </summary>
internal sealed class TinyTransformer : nn.Module<Tensor, Tensor>
{
    /// <summary>The vocabulary size.</summary>
    public const int Vocabulary = 1024;

    /// <summary>The sequence length.</summary>
    public const int Length = 64;

    /// <summary>The model width.</summary>
    public const int Width = 256;

    /// <summary>The attention heads.</summary>
    public const int Heads = 4;

    /// <summary>The blocks.</summary>
    public const int Layers = 2;

    readonly Embedding tokens = nn.Embedding(Vocabulary, Width);
    readonly Parameter positions = nn.Parameter(randn(Length, Width) * 0.02);
    readonly ModuleList<Block> blocks = new();
    readonly LayerNorm norm = nn.LayerNorm(Width);
    readonly Linear head = nn.Linear(Width, Vocabulary);

    public TinyTransformer() : base(nameof(TinyTransformer))
    {
        for (var i = 0; i < Layers; i++)
            blocks.Add(new Block());
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var x = tokens.call(input) + positions;
        foreach (var block in blocks)
            x = block.call(x);
        return head.call(norm.call(x)).reshape(-1, Vocabulary);
    }

    /// <summary>One pre-norm block: x + attention(norm(x)), then x + mlp(norm(x)).</summary>
    sealed class Block : nn.Module<Tensor, Tensor>
    {
        readonly LayerNorm attentionNorm = nn.LayerNorm(Width);
        readonly Linear qkv = nn.Linear(Width, 3 * Width);
        readonly Linear projection = nn.Linear(Width, Width);
        readonly LayerNorm mlpNorm = nn.LayerNorm(Width);
        readonly Linear up = nn.Linear(Width, 4 * Width);
        readonly GELU activation = nn.GELU();
        readonly Linear down = nn.Linear(4 * Width, Width);

        public Block() : base(nameof(Block)) => RegisterComponents();

        public override Tensor forward(Tensor x)
        {
            var (batch, length) = (x.size(0), x.size(1));
            // [batch, length, 3, heads, head width] -> three [batch, heads, length, head width]
            var parts = qkv.call(attentionNorm.call(x)).view(batch, length, 3, Heads, Width / Heads).permute(2, 0, 3, 1, 4);
            var attended = nn.functional.scaled_dot_product_attention(parts[0], parts[1], parts[2], is_casual: true);
            x = x + projection.call(attended.transpose(1, 2).reshape(batch, length, Width));
            return x + down.call(activation.call(up.call(mlpNorm.call(x))));
        }
    }
}
