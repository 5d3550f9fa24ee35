using Pipelines.Metrics;
using TorchSharp.Modules;

namespace Pipelines.Runtime.Tests.Integration;

/// <summary>
/// A model written the way TorchSharp users write them: embedding, a transformer encoder, the mean
/// over positions, a linear head; <c>RegisterComponents()</c> finds the submodules.
/// </summary>
public sealed class TinyTransformer : nn.Module<Tensor, Tensor>
{
    readonly Embedding embedding;
    readonly TransformerEncoder encoder;
    readonly Linear head;

    /// <summary>A classifier of sequences over <paramref name="vocabulary"/> tokens.</summary>
    public TinyTransformer(long vocabulary, long width, long classes) : base(nameof(TinyTransformer))
    {
        embedding = nn.Embedding(vocabulary, width);
        encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(width, nhead: 2, dim_feedforward: 4 * width, dropout: 0.0), num_layers: 2);
        head = nn.Linear(width, classes);
        RegisterComponents();
    }

    /// <summary>Logits [batch, classes] of tokens [batch, sequence].</summary>
    public override Tensor forward(Tensor tokens)
    {
        // TorchSharp's encoder takes [sequence, batch, features].
        var hidden = encoder.call(embedding.call(tokens).transpose(0, 1));
        return head.call(hidden.mean([0]));
    }
}

/// <summary>Sequence classification through the custom transformer: the user's module, unchanged, as the [Model].</summary>
[Pipeline]
public sealed partial class SequenceClassifier : IDisposable
{
    [Model] readonly TinyTransformer model = new(vocabulary: 15, width: 16, classes: 3);
    [Optimizer] readonly AdamW optimizer;
    [Metric] readonly Accuracy accuracy = new();

    /// <summary>The model and an AdamW over its parameters.</summary>
    public SequenceClassifier() => optimizer = optim.AdamW(model.parameters(), lr: 3e-3);

    /// <summary>The training loss of every iteration, read in a handler.</summary>
    public List<double> Losses { get; } = [];

    [TrainingStep]
    Tensor Train(Batch batch) => nn.functional.cross_entropy(model.call(batch.Input), batch.Target);

    [ValidationStep]
    void Validate(Batch batch) => accuracy.Update(model.call(batch.Input), batch.Target);

    [OnEvent(Events.IterationCompleted)]
    void Record(in PipelineState state) => Losses.Add(state.Loss);

    /// <summary>Frees the model, the optimizer and the metric.</summary>
    public void Dispose()
    {
        optimizer.Dispose();
        model.Dispose();
        accuracy.Dispose();
    }
}

/// <summary>A TorchVision ResNet-18, unchanged, as the [Model] of a pipeline over Fashion-MNIST.</summary>
[Pipeline]
public sealed partial class ResNetClassifier : IDisposable
{
    [Model] readonly ResNet model = torchvision.models.resnet18(num_classes: 10);
    [Optimizer] readonly SGD optimizer;

    /// <summary>The model and SGD with momentum over its parameters.</summary>
    public ResNetClassifier() => optimizer = optim.SGD(model.parameters(), 0.02, momentum: 0.9);

    /// <summary>The training loss of every iteration, read in a handler.</summary>
    public List<double> Losses { get; } = [];

    // ResNet takes three channels; Fashion-MNIST has one.
    [TrainingStep]
    Tensor Train(Batch batch) => nn.functional.cross_entropy(model.call(batch.Input.expand(-1, 3, -1, -1)), batch.Target);

    [OnEvent(Events.IterationCompleted)]
    void Record(in PipelineState state) => Losses.Add(state.Loss);

    /// <summary>Frees the model and the optimizer.</summary>
    public void Dispose()
    {
        optimizer.Dispose();
        model.Dispose();
    }
}

/// <summary>Data for the transformer above.</summary>
internal static class TorchSharpModelData
{
    /// <summary>
    /// Sequences of 12 tokens whose class c in {0, 1, 2} draws 9 of them from tokens [5c, 5c + 5)
    /// and 3 from anywhere: a bag-of-tokens task a transformer learns in a few epochs. The caller
    /// owns both tensors (a loader does not).
    /// </summary>
    public static (Tensor Tokens, Tensor Classes) Sequences(int count, long seed)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)seed);
        var classes = randint(0, 3, [count], dtype: ScalarType.Int64, generator: generator);
        var own = randint(0, 5, [count, 9], dtype: ScalarType.Int64, generator: generator) + classes.unsqueeze(1) * 5;
        var noise = randint(0, 15, [count, 3], dtype: ScalarType.Int64, generator: generator);
        return scope.MoveToOuter(cat([own, noise], 1), classes);
    }
}
