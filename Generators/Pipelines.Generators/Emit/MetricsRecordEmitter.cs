using System.Collections.Generic;
using System.Linq;
using Pipelines.Generators.Model;

namespace Pipelines.Generators.Emit;

/// <summary>The typed metrics record (one nullable property per [Metric] member) and the helpers that build and merge it.</summary>
internal static class MetricsRecordEmitter
{
    public static void Emit(IndentedWriter w, PipelineModel pipeline)
    {
        w.Line("/// <summary>The metrics of <see cref=\"" + pipeline.Type.Cref + "\"/>, one per [Metric] member; null until the phase that computes it has run.</summary>");
        var parameters = string.Join(", ", pipeline.Members.Metrics.Select(m => m.ResultType + " " + m.Property));
        w.Line("public sealed record " + TypeNames.Metrics + "(" + parameters + ")");
        w.Open();
        var keys = Keys(pipeline);
        foreach (var phase in MetricPhase.All)
            EmitKeyClass(w, phase, keys.Where(k => k.Phase == phase).ToList());
        w.Line("/// <summary>Every metric key, in the order of their indexes (what a run's <c>state.Metrics</c> holds).</summary>");
        w.Line("public static " + TypeNames.IReadOnlyList + "<" + TypeNames.MetricKey + "> Keys { get; } = " + (keys.Count == 0
            ? TypeNames.Array + ".Empty<" + TypeNames.MetricKey + ">();"
            : "new " + TypeNames.MetricKey + "[] { " + string.Join(", ", keys.Select(k => k.Class + "." + k.Metric.Property)) + " };"));
        w.Close();
        if (pipeline.Members.Metrics.Count == 0)
            return;
        w.Line();
        w.Line("/// <summary>The values of <paramref name=\"update\"/>, and those of <paramref name=\"latest\"/> where the update has none.</summary>");
        w.Line("static " + TypeNames.Metrics + " MergeMetrics(" + TypeNames.Metrics + " latest, " + TypeNames.Metrics + " update) =>");
        w.Indented("new " + TypeNames.Metrics + "(" + string.Join(", ", pipeline.Members.Metrics.Select(m => "update." + m.Property + " ?? latest." + m.Property)) + ");");
    }

    static void EmitKeyClass(IndentedWriter w, MetricPhase phase, List<MetricKeyModel> keys)
    {
        if (keys.Count == 0)
            return;
        w.Line("/// <summary>The " + phase.Noun + " metrics' keys, for monitors (early stopping, best checkpoints) and <c>state.Metrics[...]</c>.</summary>");
        w.Line("public static class " + phase.Class).Open();
        foreach (var key in keys)
        {
            w.Line("/// <summary><c>" + key.Name + "</c>: [Metric] " + key.Metric.Member + " after the " + phase.Noun + " phase.</summary>");
            w.Line("public static " + TypeNames.MetricKey + " " + key.Metric.Property + " { get; } = new(" + key.Index + ", \"" + key.Name + "\");");
        }
        w.Close();
        w.Line();
    }

    /// <summary>The metric keys: one per scalar metric and phase it is updated in, numbered in the order training, validation, test.</summary>
    static List<MetricKeyModel> Keys(PipelineModel pipeline)
    {
        var keys = new List<MetricKeyModel>();
        foreach (var phase in MetricPhase.All)
            foreach (var metric in pipeline.Members.Metrics.Where(m => m.IsScalar && m.In(phase.Phases)))
                keys.Add(new MetricKeyModel(metric, phase, keys.Count));
        return keys;
    }

    /// <summary>Writes the values of one phase from the record <paramref name="computed"/> into the run's metric values.</summary>
    public static void Publish(IndentedWriter w, PipelineModel pipeline, MetricPhases phase, string computed)
    {
        foreach (var key in Keys(pipeline).Where(k => k.Phase.Phases == phase))
            w.Line("run.Metrics.Set(" + key.Class + "." + key.Metric.Property + ", " + computed + "." + key.Metric.Property + ", run.Epoch);");
    }

    /// <summary><c>new Metrics(...)</c> with every metric null.</summary>
    public static string Empty(PipelineModel pipeline) =>
        "new " + TypeNames.Metrics + "(" + string.Join(", ", pipeline.Members.Metrics.Select(_ => "null")) + ")";

    /// <summary><c>new Metrics(...)</c> with the metrics of one phase computed and the others null.</summary>
    public static string Computed(PipelineModel pipeline, MetricPhases phase) =>
        "new " + TypeNames.Metrics + "(" + string.Join(", ", pipeline.Members.Metrics.Select(m => m.Property + ": " + (m.In(phase) ? "this." + m.Member + ".Compute()" : "null"))) + ")";

    /// <summary>Resets the metrics of one phase, with a comment naming them.</summary>
    public static void Reset(IndentedWriter w, PipelineModel pipeline, MetricPhases phase, string why)
    {
        var metrics = pipeline.Members.Metrics.Where(m => m.In(phase)).ToList();
        if (metrics.Count == 0)
            return;
        w.Line("// [Metric] " + string.Join(", ", metrics.Select(m => m.Member)) + ": " + why);
        foreach (var metric in metrics)
            w.Line("this." + metric.Member + ".Reset();");
    }
}
