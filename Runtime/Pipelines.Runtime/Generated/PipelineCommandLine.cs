using Pipelines.CommandLine;

namespace Pipelines.Generated;

/// <summary>
/// One command line for a pipeline: its [Hyperparameter] options (generated) and the trainer
/// settings (<see cref="TrainerSettings"/>), read by <see cref="CommandLineParser"/> in one pass, so
/// one help lists both and an unknown or repeated option is found wherever it belongs.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class PipelineCommandLine
{
    /// <summary>
    /// Reads <paramref name="args"/>; false after writing the help (exit code 0) or an error naming
    /// the option at fault (exit code 2). The generated <c>Hyperparameters.TryParse(args, trainerDefaults, ...)</c> calls it.
    /// </summary>
    public static bool TryParse<THyperparameters>(string[] args, IReadOnlyList<CommandLineOption> hyperparameterOptions, HyperparameterBinder<THyperparameters> bind,
        TrainerSettings trainerDefaults,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out THyperparameters? hyperparameters,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TrainerSettings? trainer,
        out int exitCode, TextWriter? output = null, TextWriter? error = null)
        where THyperparameters : class
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(hyperparameterOptions);
        ArgumentNullException.ThrowIfNull(bind);
        ArgumentNullException.ThrowIfNull(trainerDefaults);
        output ??= Console.Out;
        error ??= Console.Error;
        hyperparameters = null;
        trainer = null;
        var trainerOptions = TrainerOptions.For(trainerDefaults);
        var clash = hyperparameterOptions.FirstOrDefault(h => trainerOptions.Any(t => t.Name == h.Name));
        if (clash is not null)
            throw new ArgumentException($"The hyperparameter {clash.Property} has the option {clash.Name}, which is a trainer setting: rename the member.", nameof(hyperparameterOptions));
        CommandLineOption[] options = [.. hyperparameterOptions, .. trainerOptions];
        var values = new string?[options.Length];
        if (!CommandLineParser.TryRead(args, options, values, output, error, out exitCode))
            return false;
        var split = hyperparameterOptions.Count;
        if (bind(values.AsSpan(0, split), error, out hyperparameters, out exitCode) && TrainerOptions.TryBind(trainerDefaults, values.AsSpan(split), error, out trainer, out exitCode))
            return true;
        hyperparameters = null;
        return false;
    }
}
