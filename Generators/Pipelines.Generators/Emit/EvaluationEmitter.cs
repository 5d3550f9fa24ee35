using System.Linq;
using Pipelines.Generators.Model;

namespace Pipelines.Generators.Emit;

/// <summary>
/// An evaluation phase (validation or test): the public entry point and the pass itself, in eval
/// mode inside no_grad, with every module's own mode restored afterwards.
/// </summary>
internal static class EvaluationEmitter
{
    public enum Phase
    {
        Validation,
        Test,
    }

    public static void Emit(IndentedWriter w, PipelineModel p, StepModel step, Phase phase)
    {
        var source = TypeNames.BatchSource + "<" + p.BatchType + ">";
        var inPhase = phase == Phase.Validation ? (System.Func<MetricModel, bool>)(m => m.Validation) : m => m.Test;
        var publicName = phase == Phase.Validation ? "Validate" : "Test";
        var passName = "Run" + phase + "Pass";
        var stepAttribute = "[" + phase + "Step]";
        var noun = phase == Phase.Validation ? "validation" : "test";

        w.Line("/// <summary>Runs the " + stepAttribute + " over every batch of <paramref name=\"data\"/> in eval mode without gradients, and returns the " + noun + " metrics.</summary>");
        w.Line("/// <param name=\"data\">The " + noun + " batches.</param>");
        w.Line("/// <param name=\"cancellationToken\">Checked once per batch.</param>");
        w.Line("/// <returns>The metrics the " + stepAttribute + " updates; the others are null.</returns>");
        w.Line("public " + TypeNames.Metrics + " " + publicName + "(" + source + " data, " + TypeNames.CancellationToken + " cancellationToken = default)");
        w.Open();
        w.Line(TypeNames.ArgumentNullException + ".ThrowIfNull(data);");
        w.Line("return " + passName + "(data, data.Count, cancellationToken);");
        w.Close();
        w.Line();
        if (phase == Phase.Test && p.Models.Count > 0)
        {
            w.Line("/// <summary>Loads the [Model] weights of <paramref name=\"checkpoint\"/> (the best or last file of " + (p.Keepers.Any() ? p.Keepers.First() : "a BestCheckpoints member") + ", or a path), then runs the " + stepAttribute + " over <paramref name=\"data\"/> (Lightning's <c>trainer.test(ckpt_path=...)</c>).</summary>");
            w.Line("/// <param name=\"data\">The " + noun + " batches.</param>");
            w.Line("/// <param name=\"checkpoint\">Which weights: <c>TestCheckpoint.Best</c>, <c>TestCheckpoint.Last</c> or <c>TestCheckpoint.From(path)</c>.</param>");
            w.Line("/// <param name=\"cancellationToken\">Checked once per batch.</param>");
            w.Line("/// <returns>The metrics the " + stepAttribute + " updates; the others are null.</returns>");
            w.Line("public " + TypeNames.Metrics + " " + publicName + "(" + source + " data, " + TypeNames.TestCheckpoint + " checkpoint, " + TypeNames.CancellationToken + " cancellationToken = default)");
            w.Open();
            w.Line(TypeNames.ArgumentNullException + ".ThrowIfNull(data);");
            w.Line("var path = checkpoint.Resolve(" + string.Join(", ", p.Keepers.Select(k => "this." + k)) + ");");
            foreach (var model in p.Models)
                w.Line(TypeNames.Checkpoint + ".LoadModelWeights(path, this." + model + ", \"" + model + "\");");
            w.Line("return " + passName + "(data, data.Count, cancellationToken);");
            w.Close();
            w.Line();
        }

        w.Line("/// <summary>One " + noun + " pass over the first <paramref name=\"batches\"/> batches, one dispose scope each.</summary>");
        w.Line(TypeNames.Metrics + " " + passName + "(" + source + " data, int batches, " + TypeNames.CancellationToken + " cancellationToken)");
        w.Open();
        foreach (var model in p.Models)
        {
            w.Line("// [Model] " + model + ": eval mode for the pass; every module gets its own mode back afterwards");
            w.Line("var " + model + "Modes = " + TypeNames.ModuleModes + ".Capture(this." + model + ");");
        }
        var restores = p.Models.Count > 0;
        if (restores)
            w.Line("try").Open();
        foreach (var model in p.Models)
            w.Line("this." + model + ".eval();");
        w.Line("using var noGrad = " + TypeNames.Torch + ".no_grad();");
        MetricsRecordEmitter.Reset(w, p, inPhase, "updated by the " + stepAttribute + ", reset for the pass");
        w.Line("data.StartPass();");
        w.Line("for (var index = 0; index < batches; index++)").Open();
        w.Line("cancellationToken.ThrowIfCancellationRequested();");
        w.Line("using var scope = " + TypeNames.Torch + ".NewDisposeScope();");
        w.Line("// " + stepAttribute + " " + step.Name);
        w.Line(step.Call("data.GetBatch(index)") + ";");
        w.Close();
        if (p.Metrics.Any(inPhase))
        {
            w.Line("if (batches == 0)").Indented("return " + MetricsRecordEmitter.Empty(p) + ";");
            w.Line("return " + MetricsRecordEmitter.Computed(p, inPhase) + ";");
        }
        else
        {
            w.Line("return " + MetricsRecordEmitter.Empty(p) + ";");
        }
        if (restores)
        {
            w.Close();
            w.Line("finally").Open();
            foreach (var model in p.Models.Reverse())
                w.Line(model + "Modes.Restore();");
            w.Close();
        }
        w.Close();
    }
}
