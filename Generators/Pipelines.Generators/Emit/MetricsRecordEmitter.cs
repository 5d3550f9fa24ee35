using System;
using System.Linq;
using Pipelines.Generators.Model;

namespace Pipelines.Generators.Emit;

/// <summary>The typed metrics record (one nullable property per [Metric] member) and the helpers that build and merge it.</summary>
internal static class MetricsRecordEmitter
{
    public static void Emit(IndentedWriter w, PipelineModel pipeline)
    {
        var cref = pipeline.Name + pipeline.TypeParameters.Replace('<', '{').Replace('>', '}');
        w.Line("/// <summary>The metrics of <see cref=\"" + cref + "\"/>, one per [Metric] member; null until the phase that computes it has run.</summary>");
        var parameters = string.Join(", ", pipeline.Metrics.Select(m => m.ResultType + " " + m.Property));
        w.Line("public sealed record " + TypeNames.Metrics + "(" + parameters + ");");
        if (pipeline.Metrics.Count == 0)
            return;
        w.Line();
        w.Line("/// <summary>The values of <paramref name=\"update\"/>, and those of <paramref name=\"latest\"/> where the update has none.</summary>");
        w.Line("static " + TypeNames.Metrics + " MergeMetrics(" + TypeNames.Metrics + " latest, " + TypeNames.Metrics + " update) =>");
        w.Indented("new " + TypeNames.Metrics + "(" + string.Join(", ", pipeline.Metrics.Select(m => "update." + m.Property + " ?? latest." + m.Property)) + ");");
    }

    /// <summary><c>new Metrics(...)</c> with every metric null.</summary>
    public static string Empty(PipelineModel pipeline) =>
        "new " + TypeNames.Metrics + "(" + string.Join(", ", pipeline.Metrics.Select(_ => "null")) + ")";

    /// <summary><c>new Metrics(...)</c> with the metrics of one phase computed and the others null.</summary>
    public static string Computed(PipelineModel pipeline, Func<MetricModel, bool> inPhase) =>
        "new " + TypeNames.Metrics + "(" + string.Join(", ", pipeline.Metrics.Select(m => m.Property + ": " + (inPhase(m) ? "this." + m.Member + ".Compute()" : "null"))) + ")";

    /// <summary>Resets the metrics of one phase, with a comment naming them.</summary>
    public static void Reset(IndentedWriter w, PipelineModel pipeline, Func<MetricModel, bool> inPhase, string why)
    {
        var metrics = pipeline.Metrics.Where(inPhase).ToList();
        if (metrics.Count == 0)
            return;
        w.Line("// [Metric] " + string.Join(", ", metrics.Select(m => m.Member)) + ": " + why);
        foreach (var metric in metrics)
            w.Line("this." + metric.Member + ".Reset();");
    }
}
