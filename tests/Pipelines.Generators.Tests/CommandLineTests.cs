namespace Pipelines.Generators.Tests;

/// <summary>The command line generated from [Hyperparameter] members (the sample's tests run it).</summary>
public sealed class CommandLineTests
{
    /// <summary>Options from doc comments and initialisers: every way a value is read (values, enum, nullable, Parse), a flag, a required option, a static member left out.</summary>
    static readonly string Tuned = Fixtures.GenerateOne("""
        namespace Sample;

        public enum Mode { Fast, Careful }

        [Pipeline]
        public partial class Tuned
        {
            /// <summary>The peak learning rate; see <see cref="Mode"/> and <c>--mode</c>.</summary>
            [Hyperparameter] public double LearningRate { get; } = 1e-3;

            /// <summary>
            /// Images per batch,
            /// on two lines.
            /// </summary>
            [Hyperparameter] public int BatchSize { get; } = 64;

            /// <summary>How careful.</summary>
            [Hyperparameter] public Mode Mode { get; } = Mode.Careful;

            [Hyperparameter] public float? Dropout { get; } = null;

            /// <summary>Where to write.</summary>
            [Hyperparameter] public string? Output { get; }

            [Hyperparameter] public TimeSpan Budget { get; } = TimeSpan.FromMinutes(5);

            /// <summary>Warm up first.</summary>
            [Hyperparameter] readonly bool warmup = true;

            [Hyperparameter] readonly decimal scale = 0.5m;

            [Hyperparameter] static readonly long seed = 42;

            [Model] readonly Net model = new();
            [Optimizer] readonly Sgd optimizer = new();

            [TrainingStep]
            Tensor Train(Batch batch) => model.call(batch.Input).mean();
        }
        """);

    [Fact]
    public void Options_take_their_help_from_doc_comments_and_their_defaults_from_initialisers() => CodeText.ContainsBlock("""
        new("--learning-rate", "LearningRate", "double", "The peak learning rate; see Mode and --mode.", "0.001"),
        new("--batch-size", "BatchSize", "int", "Images per batch, on two lines.", "64"),
        new("--mode", "Mode", "Mode", "How careful.", "Careful", allowedValues: new string[] { "Fast", "Careful" }),
        new("--dropout", "Dropout", "float", "", "none"),
        new("--output", "Output", "text", "Where to write.", "none"),
        new("--budget", "Budget", "timespan", "", null),
        new("--warmup", "Warmup", "bool", "Warm up first.", "true", isFlag: true),
        new("--scale", "Scale", "decimal", "", "0.5"),
        };
        """, Tuned);

    [Fact]
    public void An_enum_option_compares_each_member_name() => CodeText.ContainsBlock("""
        // Mode: --mode
        global::Sample.Mode value2 = global::Sample.Mode.Careful;
        if (values[2] is { } text2)
        {
            if (global::System.String.Equals(text2, "Fast", global::System.StringComparison.OrdinalIgnoreCase))
                value2 = global::Sample.Mode.Fast;
            else if (global::System.String.Equals(text2, "Careful", global::System.StringComparison.OrdinalIgnoreCase))
                value2 = global::Sample.Mode.Careful;
            else
                return global::Pipelines.Generated.CommandLineParser.Invalid(error, CommandLineOptions[2], text2, out exitCode);
        }
        """, Tuned);

    [Fact]
    public void A_nullable_option_reads_none_as_null() => CodeText.ContainsBlock("""
        // Dropout: --dropout
        float? value3 = null;
        if (values[3] is { } text3)
        {
            if (text3 is "none" or "null")
                value3 = null;
            else if (global::Pipelines.Generated.CommandLineValues.TryParse(text3, out float parsed3))
                value3 = parsed3;
            else
                return global::Pipelines.Generated.CommandLineParser.Invalid(error, CommandLineOptions[3], text3, out exitCode);
        }
        """, Tuned);

    [Fact]
    public void A_required_option_is_parsed_invariantly_and_reports_the_parser_message() => CodeText.ContainsBlock("""
        // Budget: --budget
        global::System.TimeSpan value5 = default!;
        if (values[5] is { } text5)
        {
            try
            {
                value5 = global::System.TimeSpan.Parse(text5, global::System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (global::System.FormatException exception)
            {
                return global::Pipelines.Generated.CommandLineParser.Invalid(error, CommandLineOptions[5], text5, out exitCode, exception.Message);
            }
            catch (global::System.ArgumentException exception)
            {
                return global::Pipelines.Generated.CommandLineParser.Invalid(error, CommandLineOptions[5], text5, out exitCode, exception.Message);
            }
        }
        """, Tuned);

    [Fact]
    public void A_hyperparameter_that_cannot_be_read_from_text_means_no_command_line()
    {
        var text = Fixtures.GenerateOne("""
            namespace Sample;

            public sealed class Opaque { }

            [Pipeline]
            public partial class Tuned
            {
                [Hyperparameter] public double LearningRate { get; } = 1e-3;
                [Hyperparameter] public Opaque Thing { get; } = new();

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
                [Hyperparameter] public int {{property}} { get; } = 1;

                [Model] readonly Net model = new();
                [Optimizer] readonly Sgd optimizer = new();

                [TrainingStep]
                Tensor Train(Batch batch) => model.call(batch.Input).mean();
            }
            """);
        Assert.Contains("new(\"" + option + "\", \"" + property + "\", \"int\"", text, StringComparison.Ordinal);
    }
}
