using Pipelines.Generators.Model;

namespace Pipelines.Generators.Emit;

/// <summary>A phase as the metrics record names it: its key prefix (<c>val</c>), the nested key class (<c>Val</c>) and the noun in docs.</summary>
internal sealed record MetricPhase(MetricPhases Phases, string Prefix, string Class, string Noun)
{
    /// <summary>The phases in key order: training, validation, test.</summary>
    public static readonly MetricPhase[] All =
    [
        new(MetricPhases.Training, "train", "Train", "training"),
        new(MetricPhases.Validation, "val", "Val", "validation"),
        new(MetricPhases.Test, "test", "Test", "test"),
    ];
}
