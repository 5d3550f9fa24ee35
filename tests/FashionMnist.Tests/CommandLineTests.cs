using FashionMnistSample;
using Pipelines;
using Pipelines.CommandLine;
using Pipelines.Generated;

namespace FashionMnist.Tests;

/// <summary>The command line the generator writes from the sample's [Hyperparameter] members, with the trainer settings beside them.</summary>
public sealed class CommandLineTests
{
    // The trainer settings beside the hyperparameters; TrainerSettingsTests pins each of them.
    const int TrainerOptionCount = 18;

    static (bool Parsed, FashionMnistClassifier.Hyperparameters? Result, TrainerSettings? Trainer, int ExitCode, string Output, string Error) ParseAll(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var parsed = FashionMnistClassifier.Hyperparameters.TryParse(args, FashionMnistProgram.Defaults, out var result, out var trainer, out var exitCode, output, error);
        return (parsed, result, trainer, exitCode, output.ToString(), error.ToString());
    }

    static (bool Parsed, FashionMnistClassifier.Hyperparameters? Result, int ExitCode, string Output, string Error) Parse(params string[] args)
    {
        var (parsed, result, _, exitCode, output, error) = ParseAll(args);
        return (parsed, result, exitCode, output, error);
    }

    [Fact]
    public void No_arguments_give_the_initialisers_values()
    {
        var (parsed, result, trainer, exitCode, output, error) = ParseAll();
        Assert.True(parsed, error);
        Assert.Equal(0, exitCode);
        Assert.Equal("", output + error);
        Assert.Equal(128, result!.BatchSize);
        Assert.Equal(3e-3, result.LearningRate);
        Assert.Equal(0, result.CropPadding);
        Assert.Equal(LearningRateSchedule.OneCycle, result.Schedule);
        Assert.True(result.Augment);
        Assert.Equal(Pipelines.Data.FashionMnist.DebianDirectory, trainer!.DataDirectory);
        Assert.Equal(3, trainer.Patience);
        Assert.Equal(FashionMnistProgram.Defaults, trainer);
        Assert.Equal(6, trainer!.Fit.MaxEpochs);
        Assert.Equal(42L, trainer.Fit.Seed);
        Assert.Null(trainer.Fit.Device);
        Assert.Null(trainer.Fit.RunDirectory);
        Assert.False(trainer.Fit.FastDevRun);
        Assert.Null(trainer.Fit.LimitTrainBatches);
        Assert.Equal(2, trainer.Threads);
        Assert.False(trainer.FindLr);
    }

    [Fact]
    public void Every_kind_of_value_is_read_with_its_type()
    {
        var (parsed, result, trainer, _, _, error) = ParseAll(
            "--max-epochs", "3", "--learning-rate", "1e-2", "--weight-decay=0.5", "--schedule", "cosine", "--no-augment", "--crop-padding", "2",
            "--seed", "-7", "--device", "meta", "--precision", "bf16-mixed", "--run-directory", "runs/x", "--fast-dev-run", "--limit-train-batches", "20", "--validate-every", "2",
            "--patience", "5", "--data-directory", "/tmp/fashion");
        Assert.True(parsed, error);
        Assert.Equal(0.01, result!.LearningRate);
        Assert.Equal(0.5, result.WeightDecay);
        Assert.Equal(LearningRateSchedule.Cosine, result.Schedule);
        Assert.False(result.Augment);
        Assert.Equal(2, result.CropPadding);
        Assert.Equal(3, trainer!.Fit.MaxEpochs);
        Assert.Equal(-7L, trainer.Fit.Seed);
        Assert.Equal("meta", trainer.Fit.Device?.ToString());
        Assert.Same(PrecisionMode.BFloat16Mixed, trainer.Fit.Precision);
        Assert.Equal("runs/x", trainer.Fit.RunDirectory);
        Assert.True(trainer.Fit.FastDevRun);
        Assert.Equal(20, trainer.Fit.LimitTrainBatches);
        Assert.Equal(2, trainer.Fit.ValidateEvery);
        // Program settings, not hyperparameters: the trainer's, so hparams.json never records them.
        Assert.Equal((5, "/tmp/fashion"), (trainer.Patience, trainer.DataDirectory));
        var options = trainer.PrepareRun();
        Assert.Equal((3, 20, 2, "runs/x", "meta"), (options.MaxEpochs, options.LimitTrainBatches, options.ValidateEvery, options.RunDirectory, options.Device?.ToString()));
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
        var (parsed, _, trainer, _, _, error) = ParseAll("--limit-train-batches", "none", "--run-directory", "null", "--patience", "none");
        Assert.True(parsed, error);
        Assert.Null(trainer!.Patience);
        Assert.Null(trainer.Fit.LimitTrainBatches);
        Assert.Null(trainer.Fit.RunDirectory);
    }

    [Fact]
    public void Help_lists_every_option_with_its_doc_summary_and_default()
    {
        var (parsed, _, exitCode, output, error) = Parse("--max-epochs", "x", "--help");
        Assert.False(parsed);
        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        Assert.Contains("--max-epochs <int>", output, StringComparison.Ordinal);
        Assert.Contains("The number of epochs to train (early stopping may end sooner). [default: 6]", output, StringComparison.Ordinal);
        Assert.Contains("--learning-rate <double>", output, StringComparison.Ordinal);
        Assert.Contains("[default: 0.003]", output, StringComparison.Ordinal);
        Assert.Contains("--schedule <OneCycle|Cosine>", output, StringComparison.Ordinal);
        Assert.Contains("--augment <bool>", output, StringComparison.Ordinal);
        Assert.Contains("--limit-train-batches <int>", output, StringComparison.Ordinal);
        Assert.Contains("[default: none]", output, StringComparison.Ordinal);
        Assert.Contains("-?, -h, --help", output, StringComparison.Ordinal);
        Assert.Equal(FashionMnistClassifier.Hyperparameters.CommandLineOptions.Count + TrainerOptionCount,
            output.Split('\n').Count(l => l.StartsWith("  --", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(new[] { "--max-epochs", "ten" }, "--max-epochs: 'ten' is not a valid int.")]
    [InlineData(new[] { "--max-epochs", "0" }, "--max-epochs: '0': it must be at least 1.")]
    [InlineData(new[] { "--device", "gpu" }, "--device: 'gpu': devices are named cpu, cuda or cuda:N.")]
    [InlineData(new[] { "--precision", "bf16" }, "--precision: 'bf16': did you mean 'bf16-mixed'? Use one of 32-true, bf16-mixed, 16-mixed.")]
    [InlineData(new[] { "--resume", "/nonexistent/last.ckpt" }, "--resume: '/nonexistent/last.ckpt': there is no such file.")]
    [InlineData(new[] { "--learning-rate", "fast" }, "--learning-rate: 'fast' is not a valid double.")]
    [InlineData(new[] { "--schedule", "step" }, "--schedule: 'step' is not one of OneCycle, Cosine.")]
    [InlineData(new[] { "--augment=maybe" }, "--augment: 'maybe' is not true or false.")]
    [InlineData(new[] { "--batch-size" }, "Required argument missing for option: '--batch-size'.")]
    [InlineData(new[] { "--max-epochs", "--seed", "1" }, "Unrecognized command or argument '1'.")]
    [InlineData(new[] { "--max-epochs", "1", "--max-epochs", "2" }, "Option '--max-epochs' expects a single argument but 2 were provided.")]
    [InlineData(new[] { "--augment", "--no-augment" }, "--augment is given twice.")]
    [InlineData(new[] { "--max-epoch", "1" }, "Unrecognized command or argument '--max-epoch'. Did you mean --max-epochs?")]
    [InlineData(new[] { "5" }, "Unrecognized command or argument '5'.")]
    [InlineData(new[] { "--no-seed" }, "Unrecognized command or argument '--no-seed'.")]
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
        Assert.Contains("error: Option '--size' is required.", error.ToString(), StringComparison.Ordinal);
        Assert.False(CommandLineParser.TryRead(["--help"], options, values, output, error, out _));
        Assert.Contains("--size <int> (REQUIRED)", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("The size.", output.ToString(), StringComparison.Ordinal);
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
