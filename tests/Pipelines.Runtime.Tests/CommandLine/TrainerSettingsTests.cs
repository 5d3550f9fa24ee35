using System.Diagnostics.CodeAnalysis;
using Pipelines.CommandLine;
using Pipelines.Generated;

namespace Pipelines.Runtime.Tests.CommandLine;

/// <summary>
/// The trainer settings on the command line: the options of <see cref="FitOptions"/> show
/// <see cref="TrainerSettings.Fit"/>'s values as their defaults and bind into it, and every member
/// of it that no option names comes through unchanged.
/// </summary>
public sealed class TrainerSettingsTests : IDisposable
{
    static readonly CheckpointOptions Checkpoints = new() { Directory = "elsewhere", EveryIterations = 50 };

    /// <summary>Defaults unlike <see cref="FitOptions"/>' own in every member but GradientClipNorm, which may not go with GradientClipValue.</summary>
    static readonly TrainerSettings Defaults = new()
    {
        Fit = new()
        {
            MaxEpochs = 7,
            MaxSteps = 300,
            ValidateEvery = 2,
            LimitTrainBatches = 40,
            LimitValidationBatches = 0,
            FastDevRun = true,
            AccumulateGradBatches = 4,
            GradientClipValue = 0.25,
            Seed = -3,
            Device = new Device(DeviceType.CUDA, 1),
            Precision = PrecisionMode.BFloat16Mixed,
            Profiler = ProfilerMode.Simple,
            RunDirectory = "runs/defaults",
            ResumeFrom = "defaults.ckpt",
            Output = TextWriter.Null,
            Checkpoints = Checkpoints,
        },
        Threads = 3,
        FindLr = true,
        Patience = 2,
        DataDirectory = "data/defaults",
    };

    readonly string checkpoint = Path.GetTempFileName();

    public void Dispose() => File.Delete(checkpoint);

    static bool NoHyperparameters(ReadOnlySpan<string?> values, TextWriter error, [NotNullWhen(true)] out object? hyperparameters, out int exitCode)
    {
        (hyperparameters, exitCode) = (new object(), 0);
        return true;
    }

    static TrainerSettings Parse(TrainerSettings defaults, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.True(PipelineCommandLine.TryParse<object>(args, [], NoHyperparameters, defaults, out _, out var trainer, out _, output, error), output + error.ToString());
        return trainer;
    }

    [Fact]
    public void Every_option_shows_its_setting_as_the_default()
    {
        var shown = TrainerOptions.For(Defaults).Select(o => (o.Name, o.Property, o.DefaultText ?? "(required)"));
        Assert.Equal(new[]
        {
            ("--max-epochs", "MaxEpochs", "7"), ("--max-steps", "MaxSteps", "300"), ("--validate-every", "ValidateEvery", "2"),
            ("--limit-train-batches", "LimitTrainBatches", "40"), ("--limit-val-batches", "LimitValidationBatches", "0"),
            ("--fast-dev-run", "FastDevRun", "true"), ("--accumulate-grad-batches", "AccumulateGradBatches", "4"),
            ("--gradient-clip-norm", "GradientClipNorm", "none"), ("--seed", "Seed", "-3"), ("--device", "Device", "cuda:1"),
            ("--precision", "Precision", "bf16-mixed"), ("--threads", "Threads", "3"), ("--run-directory", "RunDirectory", "runs/defaults"), ("--resume", "ResumeFrom", "defaults.ckpt"),
            ("--find-lr", "FindLr", "true"), ("--patience", "Patience", "2"), ("--data-directory", "DataDirectory", "data/defaults"), ("--profiler", "Profiler", "simple"),
        }, shown);
    }

    [Fact]
    public void Without_defaults_the_help_shows_FitOptions_own()
    {
        using var output = new StringWriter();
        var options = TrainerOptions.For(new TrainerSettings());
        CommandLineParser.TryRead(["--help"], options, new string?[options.Count], output, TextWriter.Null, out _);
        var help = output.ToString();
        Assert.Contains("The number of epochs to train (early stopping may end sooner). [default: 1]", help, StringComparison.Ordinal);
        Assert.Contains("Stop after this many optimizer steps. [default: none]", help, StringComparison.Ordinal);
        Assert.Contains("Where to train: cpu, cuda or cuda:N. [default: cpu]", help, StringComparison.Ordinal);
        Assert.Contains("libtorch intra-op threads (0: libtorch's default). [default: 0]", help, StringComparison.Ordinal);
        Assert.Contains("Training precision by Lightning's name: 32-true, bf16-mixed (steps under bfloat16 autocast) or 16-mixed (float16 autocast and loss scaling). [default: 32-true]", help, StringComparison.Ordinal);
        Assert.Contains("simple: time each phase of the training step and print the table at the end; none: off. [default: none]", help, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bf16-mixed")]
    [InlineData("16-mixed")]
    [InlineData("32-true")]
    public void A_precision_binds_by_its_Lightning_name(string name)
    {
        var trainer = Parse(new TrainerSettings(), "--precision", name);
        Assert.Same(PrecisionMode.Parse(name), trainer.Fit.Precision);
    }

    [Theory]
    [InlineData("bf16", "error: --precision: 'bf16': did you mean 'bf16-mixed'? Use one of 32-true, bf16-mixed, 16-mixed.")]
    [InlineData("half", "error: --precision: 'half': use one of 32-true, bf16-mixed, 16-mixed.")]
    [InlineData("fp16", "error: --precision: 'fp16': did you mean '16-mixed'? Use one of 32-true, bf16-mixed, 16-mixed.")]
    public void A_refused_precision_is_one_error_naming_the_option(string name, string message)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.False(PipelineCommandLine.TryParse<object>(["--precision", name], [], NoHyperparameters, new TrainerSettings(), out _, out _, out var exitCode, output, error));
        Assert.Equal(2, exitCode);
        Assert.Equal(message, error.ToString().Split('\n')[0].TrimEnd('\r'));
    }

    [Fact]
    public void The_profiler_binds_by_Lightning_name_and_anything_else_is_one_error()
    {
        Assert.Equal(ProfilerMode.Simple, Parse(new TrainerSettings(), "--profiler", "simple").Fit.Profiler);
        Assert.Equal(ProfilerMode.None, Parse(Defaults, "--profiler", "none").Fit.Profiler);
        using var error = new StringWriter();
        Assert.False(PipelineCommandLine.TryParse<object>(["--profiler", "advanced"], [], NoHyperparameters, new TrainerSettings(), out _, out _, out var exitCode, TextWriter.Null, error));
        Assert.Equal(2, exitCode);
        Assert.Equal("error: --profiler: 'advanced': profilers are named simple or none.", error.ToString().Split('\n')[0].TrimEnd('\r'));
    }

    [Fact]
    public void No_options_keep_the_defaults()
    {
        var trainer = Parse(Defaults);
        Assert.Equal(Defaults, trainer);
        Assert.Same(Defaults.Fit, trainer.Fit);
    }

    [Fact]
    public void Every_option_binds_into_its_setting_and_the_rest_stay()
    {
        var trainer = Parse(Defaults,
            "--max-epochs", "3", "--max-steps", "none", "--validate-every", "5", "--limit-train-batches", "none", "--limit-val-batches", "6",
            "--fast-dev-run=false", "--accumulate-grad-batches", "1", "--seed", "none", "--device", "meta", "--precision", "32-true", "--threads", "0",
            "--run-directory", "none", "--resume", checkpoint, "--no-find-lr", "--patience", "none", "--data-directory", "elsewhere/data", "--profiler", "none");
        Assert.Equal("meta", trainer.Fit.Device?.ToString());
        var expected = Defaults.Fit with
        {
            MaxEpochs = 3,
            MaxSteps = null,
            ValidateEvery = 5,
            LimitTrainBatches = null,
            LimitValidationBatches = 6,
            FastDevRun = false,
            AccumulateGradBatches = 1,
            Seed = null,
            Device = trainer.Fit.Device,
            Precision = PrecisionMode.Float32,
            Profiler = ProfilerMode.None,
            RunDirectory = null,
            ResumeFrom = checkpoint,
        };
        Assert.Equal(expected, trainer.Fit);
        Assert.Same(Checkpoints, trainer.Fit.Checkpoints);
        Assert.Equal(0.25, trainer.Fit.GradientClipValue);
        Assert.Equal((0, false, null, "elsewhere/data"), (trainer.Threads, trainer.FindLr, trainer.Patience, trainer.DataDirectory));
        Assert.Equal(7, Defaults.Fit.MaxEpochs);
    }

    [Fact]
    public void A_clipping_norm_binds_beside_the_defaults_other_settings()
    {
        var defaults = new TrainerSettings { Fit = new() { MaxEpochs = 9, Checkpoints = Checkpoints } };
        var trainer = Parse(defaults, "--gradient-clip-norm", "0.5");
        Assert.Equal(defaults with { Fit = defaults.Fit with { GradientClipNorm = 0.5 } }, trainer);
    }

    [Fact]
    public void A_run_with_no_device_or_directory_trains_on_the_cpu_in_runs_and_its_start_time()
    {
        var settings = new TrainerSettings { Fit = new() { MaxEpochs = 2, Checkpoints = Checkpoints } };
        using var output = new StringWriter();
        var options = settings.PrepareRun(output);
        Assert.Matches(@"^runs[/\\][0-9]{8}-[0-9]{6}$", options.RunDirectory);
        Assert.Equal(settings.Fit with { Device = CPU, RunDirectory = options.RunDirectory, Output = output }, options);
        Assert.Null(settings.Fit.RunDirectory);
    }

    [Fact]
    public void A_run_keeps_every_setting_that_was_given()
    {
        var settings = Defaults with { Threads = 0 };
        Assert.Equal(settings.Fit, settings.PrepareRun());
        using var output = new StringWriter();
        Assert.Same(output, settings.PrepareRun(output).Output);
    }

    [Fact]
    public void In_a_launched_job_cuda_with_no_index_is_the_gpu_of_the_local_rank_and_any_other_device_stays()
    {
        Assert.Equal("cuda:1", TrainerSettings.RankDevice(new Device("cuda"), "1").ToString());
        Assert.Equal("cuda:0", TrainerSettings.RankDevice(new Device("cuda:0"), "1").ToString());
        Assert.Equal("cpu", TrainerSettings.RankDevice(CPU, "1").ToString());
        Assert.Equal("cuda", TrainerSettings.RankDevice(new Device("cuda"), null).ToString());
        Assert.Equal("cuda", TrainerSettings.RankDevice(new Device("cuda"), "-1").ToString());
    }
}
