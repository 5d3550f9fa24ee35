using FashionMnistSample;
using Pipelines.CommandLine;

namespace FashionMnist.Tests;

/// <summary>The command line the generator writes from the sample's [Hyperparameter] members.</summary>
public sealed class CommandLineTests
{
    static (bool Parsed, FashionMnistClassifier.Hyperparameters? Result, int ExitCode, string Output, string Error) Parse(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var parsed = FashionMnistClassifier.Hyperparameters.TryParse(args, out var result, out var exitCode, output, error);
        return (parsed, result, exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public void No_arguments_give_the_initialisers_values()
    {
        var (parsed, result, exitCode, output, error) = Parse();
        Assert.True(parsed, error);
        Assert.Equal(0, exitCode);
        Assert.Equal("", output + error);
        Assert.Equal(12, result!.Epochs);
        Assert.Equal(128, result.BatchSize);
        Assert.Equal(2e-3, result.LearningRate);
        Assert.Equal(0, result.CropPadding);
        Assert.Equal(LearningRateSchedule.OneCycle, result.Schedule);
        Assert.True(result.Augment);
        Assert.Equal(42L, result.Seed);
        Assert.Equal("cpu", result.Device);
        Assert.Equal(Pipelines.Data.FashionMnist.DebianDirectory, result.DataDirectory);
        Assert.Null(result.RunDirectory);
        Assert.False(result.FastDevRun);
        Assert.Null(result.LimitTrainBatches);
        Assert.False(result.FindLr);
    }

    [Fact]
    public void Every_kind_of_value_is_read_with_its_type()
    {
        var (parsed, result, _, _, error) = Parse(
            "--epochs", "3", "--learning-rate", "1e-2", "--weight-decay=0.5", "--schedule", "cosine", "--no-augment", "--crop-padding", "2",
            "--seed", "-7", "--device", "cuda:1", "--run-directory", "runs/x", "--fast-dev-run", "--limit-train-batches", "20");
        Assert.True(parsed, error);
        Assert.Equal(3, result!.Epochs);
        Assert.Equal(0.01, result.LearningRate);
        Assert.Equal(0.5, result.WeightDecay);
        Assert.Equal(LearningRateSchedule.Cosine, result.Schedule);
        Assert.False(result.Augment);
        Assert.Equal(2, result.CropPadding);
        Assert.Equal(-7L, result.Seed);
        Assert.Equal("cuda:1", result.Device);
        Assert.Equal("runs/x", result.RunDirectory);
        Assert.True(result.FastDevRun);
        Assert.Equal(20, result.LimitTrainBatches);
    }

    [Theory]
    [InlineData("--augment=false", false)]
    [InlineData("--augment=yes", true)]
    [InlineData("--no-augment", false)]
    [InlineData("--augment", true)]
    public void A_switch_takes_an_optional_value_or_its_negation(string arg, bool expected)
    {
        var (parsed, result, _, _, error) = Parse(arg);
        Assert.True(parsed, error);
        Assert.Equal(expected, result!.Augment);
    }

    [Fact]
    public void None_resets_a_nullable_option()
    {
        var (parsed, result, _, _, error) = Parse("--limit-train-batches", "none", "--run-directory", "null");
        Assert.True(parsed, error);
        Assert.Null(result!.LimitTrainBatches);
        Assert.Null(result.RunDirectory);
    }

    [Fact]
    public void Help_lists_every_option_with_its_doc_summary_and_default()
    {
        var (parsed, _, exitCode, output, error) = Parse("--epochs", "x", "--help");
        Assert.False(parsed);
        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        Assert.Contains("--epochs <int>", output, StringComparison.Ordinal);
        Assert.Contains("The number of epochs to train (early stopping may end sooner). [default: 12]", output, StringComparison.Ordinal);
        Assert.Contains("--learning-rate <double>", output, StringComparison.Ordinal);
        Assert.Contains("[default: 0.002]", output, StringComparison.Ordinal);
        Assert.Contains("--schedule <OneCycle|Cosine>", output, StringComparison.Ordinal);
        Assert.Contains("--augment, --no-augment", output, StringComparison.Ordinal);
        Assert.Contains("--limit-train-batches <int>", output, StringComparison.Ordinal);
        Assert.Contains("[default: none]", output, StringComparison.Ordinal);
        Assert.Contains("-h, --help", output, StringComparison.Ordinal);
        Assert.Equal(FashionMnistClassifier.Hyperparameters.CommandLineOptions.Count, output.Split('\n').Count(l => l.StartsWith("  --", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(new[] { "--epochs", "ten" }, "--epochs: 'ten' is not a valid int.")]
    [InlineData(new[] { "--learning-rate", "fast" }, "--learning-rate: 'fast' is not a valid double.")]
    [InlineData(new[] { "--schedule", "step" }, "--schedule: 'step' is not one of OneCycle, Cosine.")]
    [InlineData(new[] { "--augment=maybe" }, "--augment: 'maybe' is not true or false.")]
    [InlineData(new[] { "--batch-size" }, "--batch-size needs a value (a valid int).")]
    [InlineData(new[] { "--epochs", "--seed", "1" }, "--epochs needs a value (a valid int).")]
    [InlineData(new[] { "--epochs", "1", "--epochs", "2" }, "--epochs is given twice.")]
    [InlineData(new[] { "--epoch", "1" }, "unknown option '--epoch'. Did you mean --epochs?")]
    [InlineData(new[] { "5" }, "unexpected argument '5'")]
    [InlineData(new[] { "--no-seed" }, "unknown option '--no-seed'.")]
    public void Errors_name_the_option_and_exit_with_2(string[] args, string message)
    {
        var (parsed, result, exitCode, output, error) = Parse(args);
        Assert.False(parsed);
        Assert.Null(result);
        Assert.Equal(CommandLineParser.UsageError, exitCode);
        Assert.Equal("", output);
        Assert.Contains("error: " + message, error, StringComparison.Ordinal);
        Assert.Contains("--help", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_required_option_is_reported_when_missing()
    {
        CommandLineOption[] options = [new("--size", "Size", "int", "The size.", defaultText: null)];
        var values = new string?[1];
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.False(CommandLineParser.TryRead([], options, values, output, error, out var exitCode));
        Assert.Equal(2, exitCode);
        Assert.Contains("error: --size is required (a valid int).", error.ToString(), StringComparison.Ordinal);
        CommandLineParser.WriteHelp(output, options);
        Assert.Contains("The size. [required]", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Numbers_use_the_invariant_culture()
    {
        var culture = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            var (parsed, result, _, _, error) = Parse("--dropout", "0.5");
            Assert.True(parsed, error);
            Assert.Equal(0.5, result!.Dropout);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = culture;
        }
    }
}
