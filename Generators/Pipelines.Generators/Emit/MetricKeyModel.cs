using Pipelines.Generators.Model;

namespace Pipelines.Generators.Emit;

/// <summary>A metric key of the generated record: the metric, its phase and its index in <c>Metrics.Keys</c>.</summary>
internal sealed record MetricKeyModel(MetricModel Metric, MetricPhase Phase, int Index)
{
    /// <summary>The key's logged name (<c>val/accuracy</c>).</summary>
    public string Name => Phase.Prefix + "/" + Metric.LogName;

    /// <summary>The nested class that declares it (<c>Metrics.Val</c>).</summary>
    public string Class => TypeNames.Metrics + "." + Phase.Class;
}
