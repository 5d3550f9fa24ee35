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
        w.Line("public sealed record " + TypeNames.Metrics + "(" + parameters + ")");
        w.Open();
        var keys = Keys(pipeline);
        foreach (var phase in Phases)
        {
            var inPhase = keys.Where(k => k.Phase == phase.Prefix).ToList();
            if (inPhase.Count == 0)
                continue;
            w.Line("/// <summary>The " + phase.Noun + " metrics' keys, for monitors (early stopping, best checkpoints) and <c>state.Metrics[...]</c>.</summary>");
            w.Line("public static class " + phase.Class).Open();
            foreach (var key in inPhase)
            {
                w.Line("/// <summary><c>" + key.Name + "</c>: [Metric] " + key.Metric.Member + " after the " + phase.Noun + " phase.</summary>");
                w.Line("public static " + TypeNames.MetricKey + " " + key.Metric.Property + " { get; } = new(" + key.Index + ", \"" + key.Name + "\");");
            }
            w.Close();
            w.Line();
        }
        w.Line("/// <summary>Every metric key, in the order of their indexes (what a run's <c>state.Metrics</c> holds).</summary>");
        w.Line("public static " + TypeNames.IReadOnlyList + "<" + TypeNames.MetricKey + "> Keys { get; } = " + (keys.Count == 0
            ? "global::System.Array.Empty<" + TypeNames.MetricKey + ">();"
            : "new " + TypeNames.MetricKey + "[] { " + string.Join(", ", keys.Select(k => k.Class + "." + k.Metric.Property)) + " };"));
        w.Close();
        if (pipeline.Metrics.Count == 0)
            return;
        w.Line();
        w.Line("/// <summary>The values of <paramref name=\"update\"/>, and those of <paramref name=\"latest\"/> where the update has none.</summary>");
        w.Line("static " + TypeNames.Metrics + " MergeMetrics(" + TypeNames.Metrics + " latest, " + TypeNames.Metrics + " update) =>");
        w.Indented("new " + TypeNames.Metrics + "(" + string.Join(", ", pipeline.Metrics.Select(m => "update." + m.Property + " ?? latest." + m.Property)) + ");");
    }

    static readonly (string Prefix, string Class, string Noun)[] Phases = { ("train", "Train", "training"), ("val", "Val", "validation"), ("test", "Test", "test") };

    /// <summary>A metric key: one per scalar metric and phase it is updated in, numbered in the order training, validation, test.</summary>
    public sealed record Key(MetricModel Metric, string Phase, string Class, int Index)
    {
        public string Name => Phase + "/" + Metric.LogName;
    }

    public static System.Collections.Generic.List<Key> Keys(PipelineModel pipeline)
    {
        var keys = new System.Collections.Generic.List<Key>();
        foreach (var phase in Phases)
            foreach (var metric in pipeline.Metrics.Where(m => m.IsScalar && InPhase(m, phase.Prefix)))
                keys.Add(new Key(metric, phase.Prefix, TypeNames.Metrics + "." + phase.Class, keys.Count));
        return keys;
    }

    static bool InPhase(MetricModel m, string phase) => phase switch
    {
        "train" => m.Training,
        "val" => m.Validation,
        _ => m.Test,
    };

    /// <summary>Writes the values of one phase (<c>train</c>, <c>val</c>) from the record <paramref name="computed"/> into the run's metric values.</summary>
    public static void Publish(IndentedWriter w, PipelineModel pipeline, string phase, string computed)
    {
        foreach (var key in Keys(pipeline).Where(k => k.Phase == phase))
            w.Line("run.Metrics.Set(" + key.Class + "." + key.Metric.Property + ", " + computed + "." + key.Metric.Property + ", run.Epoch);");
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
