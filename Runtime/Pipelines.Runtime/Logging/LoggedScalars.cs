using System.Globalization;
using Pipelines.Checkpoints;
using Pipelines.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Logging;

/// <summary>
/// What the logger callbacks log and under which names, decided once when the run starts: the
/// step loss (<see cref="StepLoss"/>) and the learning rate of every parameter group of the
/// pipeline's optimizers (Lightning's LearningRateMonitor) every <see cref="Every"/> iterations,
/// and at every epoch end each training and validation metric computed in that epoch, under the
/// names of the pipeline's metric keys (<c>val/accuracy</c>). The CSV and TensorBoard loggers share
/// it, so their names cannot disagree.
/// </summary>
internal sealed class LoggedScalars
{
    /// <summary>The name of the iteration's loss, read every <see cref="Every"/> iterations (Lightning's <c>train_loss_step</c>).</summary>
    public const string StepLoss = "train/loss_step";

    MetricKey[] keys = [];
    optim.Optimizer[] optimizers = [];
    double?[] values = [];

    public LoggedScalars(int every)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        Every = every;
    }

    public int Every { get; }

    /// <summary>Every name, in column order (empty before <see cref="Start"/>).</summary>
    public IReadOnlyList<string> Names { get; private set; } = [];

    /// <summary>
    /// Fixes the names from the run: the step loss; one rate per parameter group
    /// (<see cref="LearningRateName"/>); then the training and validation metrics.
    /// </summary>
    public void Start(in PipelineState state)
    {
        keys = [.. state.Metrics.FitKeys];
        optimizers = [.. state.Optimizers.Select(o => o.Value)];
        var names = new List<string> { StepLoss };
        foreach (var (member, optimizer) in state.Optimizers)
        {
            var groups = OptimizerGroups.Of(optimizer).Count;
            for (var g = 0; g < groups; g++)
                names.Add(LearningRateName(state.Optimizers.Count == 1 ? null : member, g, groups));
        }
        names.AddRange(keys.Select(k => k.Name));
        Names = names;
        values = new double?[names.Count];
    }

    /// <summary>
    /// The name of one parameter group's learning rate: <c>lr</c>, <c>lr/group{i}</c> when the
    /// optimizer has several groups, under <c>lr/{member}</c> when the run has several optimizers
    /// (<paramref name="member"/> null: the only one).
    /// </summary>
    public static string LearningRateName(string? member, int group, int groups)
    {
        var prefix = member is null ? "lr" : "lr/" + member;
        return groups == 1 ? prefix : string.Create(CultureInfo.InvariantCulture, $"{prefix}/group{group}");
    }

    /// <summary>Whether this iteration logs the step loss and the rates.</summary>
    public bool IterationDue(in PipelineState state) => state.Iteration % Every == 0;

    /// <summary>The step loss (one host read) and the rates; the metric columns empty.</summary>
    public ReadOnlySpan<double?> AtIteration(in PipelineState state)
    {
        Array.Clear(values);
        values[0] = state.Loss;
        var column = 1;
        foreach (var optimizer in optimizers)
            foreach (var group in OptimizerGroups.Of(optimizer))
                values[column++] = group.LearningRate;
        return values;
    }

    /// <summary>The metrics computed in this epoch (the others empty); the loss and rate columns empty.</summary>
    public ReadOnlySpan<double?> AtEpochEnd(in PipelineState state)
    {
        Array.Clear(values);
        var first = values.Length - keys.Length;
        for (var i = 0; i < keys.Length; i++)
            if (state.Metrics.IsFresh(keys[i], state.Epoch))
                values[first + i] = state.Metrics[keys[i]];
        return values;
    }

    /// <summary>The run's directory, or an error naming the setting a logger without a directory of its own needs.</summary>
    public static string RunDirectory(in PipelineState state, string logger) => state.RunDirectory ?? throw new InvalidOperationException(
        $"The {logger} writes into the run's directory, and the run has none: set FitOptions.RunDirectory (--run-directory), or give the logger a path.");
}
