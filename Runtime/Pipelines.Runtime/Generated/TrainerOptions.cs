using System.Globalization;
using Pipelines.CommandLine;
using static TorchSharp.torch;

namespace Pipelines.Generated;

/// <summary>
/// The trainer settings as command-line options: one option per setting, showing the defaults'
/// value, and the reading of the matched texts back into a <see cref="TrainerSettings"/>. Only
/// <see cref="PipelineCommandLine"/> uses them, so the settings users write stay a plain record.
/// </summary>
internal static class TrainerOptions
{
    /// <summary>The options, with <paramref name="defaults"/> (most of them its <see cref="TrainerSettings.Fit"/>) as their defaults, in the order <see cref="TryBind"/> takes their values.</summary>
    public static IReadOnlyList<CommandLineOption> For(TrainerSettings defaults) =>
    [
        new("--max-epochs", nameof(FitOptions.MaxEpochs), "int", "The number of epochs to train (early stopping may end sooner).", Text(defaults.Fit.MaxEpochs)),
        new("--max-steps", nameof(FitOptions.MaxSteps), "int", "Stop after this many optimizer steps.", Text(defaults.Fit.MaxSteps)),
        new("--validate-every", nameof(FitOptions.ValidateEvery), "int", "Validate after every n-th epoch.", Text(defaults.Fit.ValidateEvery)),
        new("--limit-train-batches", nameof(FitOptions.LimitTrainBatches), "int", "Train on at most this many batches per epoch.", Text(defaults.Fit.LimitTrainBatches)),
        new("--limit-val-batches", nameof(FitOptions.LimitValidationBatches), "int", "Validate on at most this many batches.", Text(defaults.Fit.LimitValidationBatches)),
        new("--fast-dev-run", nameof(FitOptions.FastDevRun), "bool", "A smoke test: one epoch of one training batch and one validation batch.", Text(defaults.Fit.FastDevRun), isFlag: true),
        new("--accumulate-grad-batches", nameof(FitOptions.AccumulateGradBatches), "int", "Back-propagate this many batches per optimizer step.", Text(defaults.Fit.AccumulateGradBatches)),
        new("--gradient-clip-norm", nameof(FitOptions.GradientClipNorm), "double", "Clip the gradients' joint 2-norm to this value.", Text(defaults.Fit.GradientClipNorm)),
        new("--seed", nameof(FitOptions.Seed), "long", "Seeds libtorch's generators when the run is prepared (the program's data split, order and initial weights) and again before training.", Text(defaults.Fit.Seed)),
        new("--device", nameof(FitOptions.Device), "text", "Where to train: cpu, cuda or cuda:N.", defaults.Fit.Device?.ToString() ?? "cpu"),
        new("--precision", nameof(FitOptions.Precision), "text", "Training precision by Lightning's name: 32-true, bf16-mixed (steps under bfloat16 autocast) or 16-mixed (float16 autocast and loss scaling).", defaults.Fit.Precision.Name),
        new("--threads", nameof(TrainerSettings.Threads), "int", "libtorch intra-op threads (0: libtorch's default).", Text(defaults.Threads)),
        new("--run-directory", nameof(FitOptions.RunDirectory), "text", "Where logs and checkpoints go (none: runs/ and the start time).", defaults.Fit.RunDirectory ?? "none"),
        new("--resume", nameof(FitOptions.ResumeFrom), "text", "A checkpoint to continue from exactly (e.g. the last.ckpt of an interrupted run).", defaults.Fit.ResumeFrom ?? "none"),
        new("--find-lr", nameof(TrainerSettings.FindLr), "bool", "Run the learning-rate range test (Lightning's lr_find) instead of training.", Text(defaults.FindLr), isFlag: true),
        new("--patience", nameof(TrainerSettings.Patience), "int", "Stop after this many validations without improvement (early stopping; none: never early).", Text(defaults.Patience)),
        new("--data-directory", nameof(TrainerSettings.DataDirectory), "text", "Where the program reads its data.", defaults.DataDirectory ?? "none"),
        new("--profiler", nameof(FitOptions.Profiler), "text", "simple: time each phase of the training step and print the table at the end; none: off.", defaults.Fit.Profiler == ProfilerMode.Simple ? "simple" : "none"),
    ];

    static string Text<T>(T? value) where T : struct, IFormattable => value is { } v ? v.ToString(null, CultureInfo.InvariantCulture) : "none";

    static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    static string Text(bool value) => value ? "true" : "false";

    /// <summary>
    /// Reads the texts matched to <see cref="For"/> (null: not given, the default
    /// stays) and checks them: ranges, the device, and that a checkpoint to resume exists. False
    /// after writing an error naming the option (exit code 2); nothing is created or written.
    /// </summary>
    public static bool TryBind(TrainerSettings defaults, ReadOnlySpan<string?> values, TextWriter error, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TrainerSettings? settings, out int exitCode)
    {
        ArgumentNullException.ThrowIfNull(error);
        settings = null;
        exitCode = 0;
        var options = For(defaults);
        if (values.Length != options.Count)
            throw new ArgumentException($"{values.Length} values for {options.Count} trainer options.", nameof(values));
        var (fit, s) = (defaults.Fit, defaults);
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
                case 0 when CommandLineValues.TryParse(text, out int n) && n >= 1: fit = fit with { MaxEpochs = n }; break;
                case 1 when none: fit = fit with { MaxSteps = null }; break;
                case 1 when CommandLineValues.TryParse(text, out int n) && n >= 1: fit = fit with { MaxSteps = n }; break;
                case 2 when CommandLineValues.TryParse(text, out int n) && n >= 1: fit = fit with { ValidateEvery = n }; break;
                case 3 when none: fit = fit with { LimitTrainBatches = null }; break;
                case 3 when CommandLineValues.TryParse(text, out int n) && n >= 1: fit = fit with { LimitTrainBatches = n }; break;
                case 4 when none: fit = fit with { LimitValidationBatches = null }; break;
                case 4 when CommandLineValues.TryParse(text, out int n) && n >= 0: fit = fit with { LimitValidationBatches = n }; break;
                case 5 when CommandLineValues.TryParse(text, out bool b): fit = fit with { FastDevRun = b }; break;
                case 6 when CommandLineValues.TryParse(text, out int n) && n >= 1: fit = fit with { AccumulateGradBatches = n }; break;
                case 7 when none: fit = fit with { GradientClipNorm = null }; break;
                case 7 when CommandLineValues.TryParse(text, out double d) && d > 0: fit = fit with { GradientClipNorm = d }; break;
                case 8 when none: fit = fit with { Seed = null }; break;
                case 8 when CommandLineValues.TryParse(text, out long n): fit = fit with { Seed = n }; break;
                case 9 when ParseDevice(text) is { } d: fit = fit with { Device = d }; break;
                case 9: return Fail(i, text, "devices are named cpu, cuda or cuda:N.", out exitCode);
                case 10 when PrecisionMode.TryParse(text, out var mode): fit = fit with { Precision = mode }; break;
                case 10: return Fail(i, text, PrecisionMode.UnknownNameHint(text), out exitCode);
                case 11 when CommandLineValues.TryParse(text, out int n) && n >= 0: s = s with { Threads = n }; break;
                case 12 when none: fit = fit with { RunDirectory = null }; break;
                case 12 when text.Trim().Length > 0: fit = fit with { RunDirectory = text }; break;
                case 13 when none: fit = fit with { ResumeFrom = null }; break;
                case 13 when File.Exists(text): fit = fit with { ResumeFrom = text }; break;
                case 13: return Fail(i, text, "there is no such file.", out exitCode);
                case 14 when CommandLineValues.TryParse(text, out bool b): s = s with { FindLr = b }; break;
                case 15 when none: s = s with { Patience = null }; break;
                case 15 when CommandLineValues.TryParse(text, out int n) && n >= 1: s = s with { Patience = n }; break;
                case 16 when none: s = s with { DataDirectory = null }; break;
                case 16 when text.Trim().Length > 0: s = s with { DataDirectory = text }; break;
                case 17 when none: fit = fit with { Profiler = ProfilerMode.None }; break;
                case 17 when text == "simple": fit = fit with { Profiler = ProfilerMode.Simple }; break;
                case 17: return Fail(i, text, "profilers are named simple or none.", out exitCode);
                default: return Fail(i, text, Range(i, text), out exitCode);
            }
        }
        settings = s with { Fit = fit };
        return true;
    }

    // A number outside its option's range gets the range; anything else the option's type.
    static string? Range(int option, string text) => !CommandLineValues.TryParse(text, out double _) ? null : option switch
    {
        0 or 2 or 6 => "it must be at least 1.",
        1 or 3 or 15 => "it must be at least 1, or none.",
        4 or 11 => "it must be at least 0.",
        7 => "it must be positive, or none.",
        _ => null,
    };

    static Device? ParseDevice(string text)
    {
        try
        {
            return device(text);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or System.Runtime.InteropServices.ExternalException)
        {
            return null;
        }
    }

}
