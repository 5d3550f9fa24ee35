using Microsoft.CodeAnalysis;

namespace Pipelines.Generators.Tests;

/// <summary>
/// Models users already write in TorchSharp become the [Model] of a pipeline unchanged: a custom
/// <c>Module&lt;Tensor, Tensor&gt;</c> (embedding, <c>nn.TransformerEncoder</c>, linear head) and a
/// TorchVision ResNet. The user's code with the generated code compiles, and neither the compiler
/// nor the analyzers report anything. (These tests compile the result; Pipelines.Runtime.Tests'
/// TorchSharpModelsTests train the same kinds of model.)
/// </summary>
public sealed class TorchSharpModelTests
{
    const string Usings = Pipelines.Testing.TestSources.Usings;

    const string Transformer = Usings + """
        namespace Text;

        /// <summary>Classifies token sequences: embedding, a small transformer encoder, mean over positions, linear head.</summary>
        public sealed class TinyTransformer : nn.Module<Tensor, Tensor>
        {
            readonly Embedding embedding;
            readonly TransformerEncoder encoder;
            readonly Linear head;

            /// <summary>A model over <paramref name="vocabulary"/> tokens, <paramref name="width"/> features wide.</summary>
            public TinyTransformer(long vocabulary, long width, long classes) : base(nameof(TinyTransformer))
            {
                embedding = nn.Embedding(vocabulary, width);
                encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(width, nhead: 2, dim_feedforward: 4 * width, dropout: 0.1), num_layers: 2);
                head = nn.Linear(width, classes);
                RegisterComponents();
            }

            /// <summary>Logits [batch, classes] of the tokens [batch, sequence].</summary>
            public override Tensor forward(Tensor tokens)
            {
                // TorchSharp's encoder takes [sequence, batch, features].
                var hidden = encoder.call(embedding.call(tokens).transpose(0, 1));
                return head.call(hidden.mean(new long[] { 0 }));
            }
        }

        /// <summary>Sequence classification with the transformer above.</summary>
        [Pipeline]
        public partial class SequenceClassifier
        {
            /// <summary>The peak learning rate.</summary>
            [Hyperparameter] public double LearningRate { get; } = 1e-2;

            [Model] readonly TinyTransformer model = new(vocabulary: 16, width: 8, classes: 3);
            [Optimizer] readonly optim.Optimizer optimizer;
            [Metric] readonly Accuracy accuracy = new();
            [Metric] readonly Mean validationLoss = new();

            /// <summary>The model and an AdamW over its parameters, at the learning rate of <paramref name="hyperparameters"/> (set before the body runs).</summary>
            public SequenceClassifier(Hyperparameters hyperparameters, double weightDecay) : this(hyperparameters) =>
                optimizer = optim.AdamW(model.parameters(), lr: LearningRate, weight_decay: weightDecay);

            [TrainingStep]
            Tensor Train(Batch batch) => nn.functional.cross_entropy(model.call(batch.Input), batch.Target);

            [ValidationStep]
            void Validate(Batch batch)
            {
                var logits = model.call(batch.Input);
                accuracy.Update(logits, batch.Target);
                validationLoss.Update(nn.functional.cross_entropy(logits, batch.Target));
            }

            [OnEvent(Events.EpochCompleted)]
            void Report(in PipelineState state) => Console.WriteLine($"epoch {state.Epoch}: accuracy {accuracy.Compute()}");
        }

        /// <summary>How a user runs it.</summary>
        public static class Program
        {
            /// <summary>Fits on random tokens and returns the typed validation accuracy.</summary>
            public static double? Run()
            {
                using var tokens = randint(16, new long[] { 32, 6 });
                using var labels = randint(3, new long[] { 32 });
                using var data = new BatchLoader(tokens, labels, new BatchLoaderOptions { BatchSize = 8, Shuffle = true, Seed = 1, PrefetchBatches = 0 });
                var result = new SequenceClassifier(new SequenceClassifier.Hyperparameters(), weightDecay: 0.01).Fit(data, data, new FitOptions { MaxEpochs = 2, Seed = 1 });
                return result.Metrics.Accuracy;
            }
        }
        """;

    const string Vision = Usings + """
        namespace Vision;

        /// <summary>TorchVision's ResNet-18 on ten classes, as TorchVision builds it.</summary>
        [Pipeline]
        public partial class ImageClassifier
        {
            [Model] readonly ResNet model = torchvision.models.resnet18(num_classes: 10);
            [Optimizer] readonly SGD optimizer;
            [Metric] readonly Accuracy accuracy = new(topK: 3);

            /// <summary>The network and SGD with momentum over its parameters.</summary>
            public ImageClassifier() => optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);

            [TrainingStep]
            Tensor Train(Batch batch) => nn.functional.cross_entropy(model.call(batch.Input), batch.Target);

            [ValidationStep]
            void Validate(Batch batch) => accuracy.Update(model.call(batch.Input), batch.Target);
        }

        /// <summary>How a user runs it.</summary>
        public static class Program
        {
            /// <summary>Fits on tiny random images and returns the typed top-3 accuracy.</summary>
            public static double? Run()
            {
                using var images = randn(8, 3, 32, 32);
                using var labels = randint(10, new long[] { 8 });
                using var data = new BatchLoader(images, labels, new BatchLoaderOptions { BatchSize = 4, PrefetchBatches = 0 });
                return new ImageClassifier().Fit(data, data, new FitOptions { MaxEpochs = 1, Seed = 1 }).Metrics.Accuracy;
            }
        }
        """;

    [Fact]
    public void A_custom_transformer_module_is_a_model_with_no_diagnostic()
    {
        var generated = AssertClean(Transformer);
        Assert.Contains("global::Pipelines.Generated.DeviceMoves.MoveModel(this.model, \"model\", device, this.optimizer);", generated, StringComparison.Ordinal);
        // Any torch.optim.Optimizer is checkpointed and gets the learning-rate finder.
        Assert.Contains("contents.Optimizers.Add(\"optimizer\", this.optimizer);", generated, StringComparison.Ordinal);
        Assert.Contains("FindLearningRate(", generated, StringComparison.Ordinal);
    }

    [Fact]
    public void A_torchvision_resnet_is_a_model_with_no_diagnostic()
    {
        var generated = AssertClean(Vision);
        Assert.Contains("global::Pipelines.Generated.DeviceMoves.MoveModel(this.model, \"model\", device, this.optimizer);", generated, StringComparison.Ordinal);
        Assert.Contains("FindLearningRate(", generated, StringComparison.Ordinal);
    }

    [Fact]
    public void The_check_sees_the_analyzers_findings()
    {
        // The same pipeline with a host read in its training step: what AssertClean rejects is reported.
        var withHostRead = Vision.Replace(
            "Tensor Train(Batch batch) => nn.functional.cross_entropy(model.call(batch.Input), batch.Target);",
            "Tensor Train(Batch batch) { var loss = nn.functional.cross_entropy(model.call(batch.Input), batch.Target); Console.WriteLine(loss.item<float>()); return loss; }",
            StringComparison.Ordinal);
        Assert.NotEqual(Vision, withHostRead);
        var diagnostic = Assert.Single(GeneratorHarness.GenerateAndAnalyze(withHostRead).Diagnostics);
        Assert.Equal("PIPE019", diagnostic.Id);
    }

    /// <summary>Generates the one pipeline of <paramref name="source"/> and asserts that nothing (compiler, analyzers) reports anything; returns the generated code.</summary>
    static string AssertClean(string source)
    {
        var (generated, diagnostics) = GeneratorHarness.GenerateAndAnalyze(source);
        Assert.True(diagnostics.Count == 0, string.Join("\n", diagnostics));
        return generated;
    }
}
