using System.Globalization;
using static TorchSharp.torch;

namespace Pipelines.CommandLine;

/// <summary>
/// How a run trains, as opposed to what it trains (the [Hyperparameter] members): Lightning's
/// <c>--trainer.*</c> flags. They come from the command line beside the hyperparameters
/// (<c>Hyperparameters.TryParse(args, trainerDefaults, ...)</c>) and become <see cref="FitOptions"/>
/// through <see cref="ToFitOptions"/>; they are never recorded or compared as hyperparameters, so
/// resuming with another <c>--run-directory</c> or <c>--device</c> reports no change.
/// </summary>
public sealed record TrainerSettings
{
    /// <summary>The number of epochs to train (early stopping may end sooner).</summary>
    public int MaxEpochs { get; init; } = 1;

    /// <summary>Stop after this many optimizer steps (null: no limit).</summary>
    public int? MaxSteps { get; init; }

    /// <summary>Validate after every n-th epoch.</summary>
    public int ValidateEvery { get; init; } = 1;

    /// <summary>Train on at most this many batches per epoch (null: all).</summary>
    public int? LimitTrainBatches { get; init; }

    /// <summary>Validate on at most this many batches (null: all).</summary>
    public int? LimitValidationBatches { get; init; }

    /// <summary>A smoke test: one epoch of one training batch and one validation batch.</summary>
    public bool FastDevRun { get; init; }

    /// <summary>Back-propagate this many batches per optimizer step.</summary>
    public int AccumulateGradBatches { get; init; } = 1;

    /// <summary>Clip the gradients' joint 2-norm to this value (null: no clipping).</summary>
    public double? GradientClipNorm { get; init; }

    /// <summary>Seeds libtorch's generators before training (null: not seeded).</summary>
    public long? Seed { get; init; }

    /// <summary>Where to train: cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>libtorch's intra-op threads (0: libtorch's default).</summary>
    public int Threads { get; init; }

    /// <summary>Where logs and checkpoints go (null: <c>runs/</c> and the start time, as <see cref="ToFitOptions"/> sets it).</summary>
    public string? RunDirectory { get; init; }

    /// <summary>A checkpoint to continue from exactly (e.g. the last.ckpt of an interrupted run).</summary>
    public string? Resume { get; init; }

    /// <summary>Run the learning-rate range test (Lightning's lr_find) instead of training.</summary>
    public bool FindLr { get; init; }

    /// <summary>The options, with these settings as their defaults, in the order above.</summary>
    public IReadOnlyList<CommandLineOption> CommandLineOptions() =>
    [
        new("--max-epochs", nameof(MaxEpochs), "int", "The number of epochs to train (early stopping may end sooner).", Text(MaxEpochs)),
        new("--max-steps", nameof(MaxSteps), "int", "Stop after this many optimizer steps.", Text(MaxSteps)),
        new("--validate-every", nameof(ValidateEvery), "int", "Validate after every n-th epoch.", Text(ValidateEvery)),
        new("--limit-train-batches", nameof(LimitTrainBatches), "int", "Train on at most this many batches per epoch.", Text(LimitTrainBatches)),
        new("--limit-val-batches", nameof(LimitValidationBatches), "int", "Validate on at most this many batches.", Text(LimitValidationBatches)),
        new("--fast-dev-run", nameof(FastDevRun), "bool", "A smoke test: one epoch of one training batch and one validation batch.", Text(FastDevRun), isFlag: true),
        new("--accumulate-grad-batches", nameof(AccumulateGradBatches), "int", "Back-propagate this many batches per optimizer step.", Text(AccumulateGradBatches)),
        new("--gradient-clip-norm", nameof(GradientClipNorm), "double", "Clip the gradients' joint 2-norm to this value.", Text(GradientClipNorm)),
        new("--seed", nameof(Seed), "long", "Seeds libtorch's generators (and the program's data order) before training.", Text(Seed)),
        new("--device", nameof(Device), "text", "Where to train: cpu, cuda or cuda:N.", Device),
        new("--threads", nameof(Threads), "int", "libtorch intra-op threads (0: libtorch's default).", Text(Threads)),
        new("--run-directory", nameof(RunDirectory), "text", "Where logs and checkpoints go (none: runs/ and the start time).", RunDirectory ?? "none"),
        new("--resume", nameof(Resume), "text", "A checkpoint to continue from exactly (e.g. the last.ckpt of an interrupted run).", Resume ?? "none"),
        new("--find-lr", nameof(FindLr), "bool", "Run the learning-rate range test (Lightning's lr_find) instead of training.", Text(FindLr), isFlag: true),
    ];

    static string Text<T>(T? value) where T : struct, IFormattable => value is { } v ? v.ToString(null, CultureInfo.InvariantCulture) : "none";

    static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    static string Text(bool value) => value ? "true" : "false";

    /// <summary>
    /// Reads the texts matched to <see cref="CommandLineOptions"/> (null: not given, the default
    /// stays) and checks them: ranges, the device, and that a checkpoint to resume exists. False
    /// after writing an error naming the option (exit code 2); nothing is created or written.
    /// </summary>
    public bool TryBind(ReadOnlySpan<string?> values, TextWriter error, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TrainerSettings? settings, out int exitCode)
    {
        ArgumentNullException.ThrowIfNull(error);
        settings = null;
        exitCode = 0;
        var options = CommandLineOptions();
        if (values.Length != options.Count)
            throw new ArgumentException($"{values.Length} values for {options.Count} trainer options.", nameof(values));
        var s = this;
        bool Fail(int i, string text, string? reason, out int code) => reason is null
            ? CommandLineParser.Invalid(error, options[i], text, out code)
            : CommandLineParser.Reject(error, options[i], text, reason, out code);
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is not { } text)
                continue;
            var none = text is "none" or "null";
            switch (i)
            {
                case 0 when CommandLineValues.TryParse(text, out int n) && n >= 1: s = s with { MaxEpochs = n }; break;
                case 1 when none: s = s with { MaxSteps = null }; break;
                case 1 when CommandLineValues.TryParse(text, out int n) && n >= 1: s = s with { MaxSteps = n }; break;
                case 2 when CommandLineValues.TryParse(text, out int n) && n >= 1: s = s with { ValidateEvery = n }; break;
                case 3 when none: s = s with { LimitTrainBatches = null }; break;
                case 3 when CommandLineValues.TryParse(text, out int n) && n >= 1: s = s with { LimitTrainBatches = n }; break;
                case 4 when none: s = s with { LimitValidationBatches = null }; break;
                case 4 when CommandLineValues.TryParse(text, out int n) && n >= 0: s = s with { LimitValidationBatches = n }; break;
                case 5 when CommandLineValues.TryParse(text, out bool b): s = s with { FastDevRun = b }; break;
                case 6 when CommandLineValues.TryParse(text, out int n) && n >= 1: s = s with { AccumulateGradBatches = n }; break;
                case 7 when none: s = s with { GradientClipNorm = null }; break;
                case 7 when CommandLineValues.TryParse(text, out double d) && d > 0: s = s with { GradientClipNorm = d }; break;
                case 8 when none: s = s with { Seed = null }; break;
                case 8 when CommandLineValues.TryParse(text, out long n): s = s with { Seed = n }; break;
                case 9 when DeviceProblem(text) is not { } problem: s = s with { Device = text }; break;
                case 9: return Fail(i, text, DeviceProblem(text), out exitCode);
                case 10 when CommandLineValues.TryParse(text, out int n) && n >= 0: s = s with { Threads = n }; break;
                case 11 when none: s = s with { RunDirectory = null }; break;
                case 11 when text.Trim().Length > 0: s = s with { RunDirectory = text }; break;
                case 12 when none: s = s with { Resume = null }; break;
                case 12 when File.Exists(text): s = s with { Resume = text }; break;
                case 12: return Fail(i, text, "there is no such file.", out exitCode);
                case 13 when CommandLineValues.TryParse(text, out bool b): s = s with { FindLr = b }; break;
                default: return Fail(i, text, Range(i, text), out exitCode);
            }
        }
        settings = s;
        return true;
    }

    // A number outside its option's range gets the range; anything else the option's type.
    static string? Range(int option, string text) => !CommandLineValues.TryParse(text, out double _) ? null : option switch
    {
        0 or 2 or 6 => "it must be at least 1.",
        1 or 3 => "it must be at least 1, or none.",
        4 or 10 => "it must be at least 0.",
        7 => "it must be positive, or none.",
        _ => null,
    };

    static string? DeviceProblem(string text)
    {
        try
        {
            _ = device(text);
            return null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or System.Runtime.InteropServices.ExternalException)
        {
            return "devices are named cpu, cuda or cuda:N.";
        }
    }

    /// <summary>
    /// The settings as <see cref="FitOptions"/> (with <paramref name="output"/> for the callbacks'
    /// lines; without a run directory, <c>runs/yyyyMMdd-HHmmss</c> of now), after applying
    /// <see cref="Threads"/> to libtorch.
    /// </summary>
    public FitOptions ToFitOptions(TextWriter? output = null)
    {
        if (Threads > 0)
            set_num_threads(Threads);
        return new FitOptions
        {
            MaxEpochs = MaxEpochs,
            MaxSteps = MaxSteps,
            ValidateEvery = ValidateEvery,
            LimitTrainBatches = LimitTrainBatches,
            LimitValidationBatches = LimitValidationBatches,
            FastDevRun = FastDevRun,
            AccumulateGradBatches = AccumulateGradBatches,
            GradientClipNorm = GradientClipNorm,
            Seed = Seed,
            Device = device(Device),
            RunDirectory = RunDirectory ?? Path.Combine("runs", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)),
            ResumeFrom = Resume,
            Output = output,
        };
    }
}
