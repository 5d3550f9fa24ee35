namespace Pipelines.Generators.Tests;

/// <summary>The command line generated from [Hyperparameter] members (the sample's tests run it).</summary>
public sealed class CommandLineTests
{
    [Fact]
    public void CommandLineFromDocCommentsAndInitialisers() => Snapshot.Match(Fixtures.GenerateOne("""
        namespace Sample;

        public enum Mode { Fast, Careful }

        [Pipeline]
        public partial class Tuned
        {
            /// <summary>The peak learning rate; see <see cref="Mode"/> and <c>--mode</c>.</summary>
            [Hyperparameter] public double LearningRate { get; init; } = 1e-3;

            /// <summary>
            /// Images per batch,
            /// on two lines.
            /// </summary>
            [Hyperparameter] public int BatchSize { get; } = 64;

            /// <summary>How careful.</summary>
            [Hyperparameter] public Mode Mode { get; init; } = Mode.Careful;

            [Hyperparameter] public float? Dropout { get; init; } = null;

            /// <summary>Where to write.</summary>
            [Hyperparameter] public string? Output { get; init; }

            [Hyperparameter] public TimeSpan Budget { get; init; } = TimeSpan.FromMinutes(5);

            /// <summary>Warm up first.</summary>
            [Hyperparameter] readonly bool warmup = true;

            [Hyperparameter] readonly decimal scale = 0.5m;

            [Hyperparameter] static readonly long seed = 42;

            [Model] readonly Net model = new();
            [Optimizer] readonly Sgd optimizer = new();

            [TrainingStep]
            Tensor Train(Batch batch) => model.call(batch.Input).mean();
        }
        """));

    [Fact]
    public void A_hyperparameter_that_cannot_be_read_from_text_means_no_command_line()
    {
        var text = Fixtures.GenerateOne("""
            namespace Sample;

            public sealed class Opaque { }

            [Pipeline]
            public partial class Tuned
            {
                [Hyperparameter] public double LearningRate { get; init; } = 1e-3;
                [Hyperparameter] public Opaque Thing { get; init; } = new();

                [Model] readonly Net model = new();
                [Optimizer] readonly Sgd optimizer = new();

                [TrainingStep]
                Tensor Train(Batch batch) => model.call(batch.Input).mean();
            }
            """);
        Assert.Contains("values.SetText(\"Thing\", Thing);", text, StringComparison.Ordinal);
        Assert.DoesNotContain("TryParse", text, StringComparison.Ordinal);
        Assert.DoesNotContain("CommandLineOptions", text, StringComparison.Ordinal);
    }

    [Fact]
    public void No_hyperparameters_means_no_command_line()
    {
        var text = Fixtures.GenerateOne("""
            namespace Sample;

            [Pipeline]
            public partial class Plain
            {
                [Model] readonly Net model = new();
                [Optimizer] readonly Sgd optimizer = new();

                [TrainingStep]
                Tensor Train(Batch batch) => model.call(batch.Input).mean();
            }
            """);
        Assert.DoesNotContain("TryParse", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LearningRate", "--learning-rate")]
    [InlineData("MaxLR", "--max-lr")]
    [InlineData("HTTPServerPort", "--http-server-port")]
    [InlineData("Epochs2", "--epochs2")]
    [InlineData("Batch_size", "--batch-size")]
    public void Option_names_are_the_properties_in_kebab_case(string property, string option)
    {
        var text = Fixtures.GenerateOne($$"""
            namespace Sample;

            [Pipeline]
            public partial class Tuned
            {
                [Hyperparameter] public int {{property}} { get; init; } = 1;

                [Model] readonly Net model = new();
                [Optimizer] readonly Sgd optimizer = new();

                [TrainingStep]
                Tensor Train(Batch batch) => model.call(batch.Input).mean();
            }
            """);
        Assert.Contains("new(\"" + option + "\", \"" + property + "\", \"int\"", text, StringComparison.Ordinal);
    }
}
