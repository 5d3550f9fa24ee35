using System.Linq;
using Pipelines.Generators.Model;

namespace Pipelines.Generators.Emit;

/// <summary>
/// An evaluation phase (validation or test): the public entry points and the pass itself, in eval
/// mode inside no_grad, with every module's own mode restored afterwards.
/// </summary>
internal static class EvaluationEmitter
{
    public static void Emit(IndentedWriter w, PipelineModel p, StepModel step, EvaluationPhase phase)
    {
        w.Line("/// <summary>Runs the " + phase.Attribute + " over every batch of <paramref name=\"data\"/> in eval mode without gradients, and returns the " + phase.Noun + " metrics.</summary>");
        w.Line("/// <param name=\"data\">The " + phase.Noun + " batches.</param>");
        w.Line("/// <param name=\"cancellationToken\">Checked once per batch.</param>");
        w.Line(DeviceParameter);
        w.Line("/// <returns>The metrics the " + phase.Attribute + " updates; the others are null.</returns>");
        w.Line("public " + TypeNames.Metrics + " " + phase.PublicName + "(" + FitShape.Source(p) + " data, " + TypeNames.CancellationToken + " cancellationToken = default, " + TypeNames.Device + "? device = null)");
        w.Open();
        w.Line(TypeNames.ArgumentNullException + ".ThrowIfNull(data);");
        PlacementEmitter.EmitCall(w, "device", configureOptimizers: false, "data");
        w.Line("return " + phase.PassName + "(data, data.Count, " + (phase.InFit ? "run: null, " : "") + "cancellationToken);");
        w.Close();
        w.Line();
        if (phase.Phases == MetricPhases.Test && p.Members.Models.Count > 0)
            EmitTestFromCheckpoint(w, p, phase);
        EmitPass(w, p, step, phase);
    }

    const string DeviceParameter = "/// <param name=\"device\">Where the [Model]s and the batches of <paramref name=\"data\"/> go, as with <c>FitOptions.Device</c> (null: where the last placement put them).</param>";

    static void EmitTestFromCheckpoint(IndentedWriter w, PipelineModel p, EvaluationPhase phase)
    {
        w.Line("/// <summary>Loads the [Model] weights of <paramref name=\"checkpoint\"/> (the best or last file of " + (p.Keepers.Any() ? p.Keepers.First() : "a BestCheckpoints member") + ", or a path), then runs the " + phase.Attribute + " over <paramref name=\"data\"/> (Lightning's <c>trainer.test(ckpt_path=...)</c>).</summary>");
        w.Line("/// <param name=\"data\">The " + phase.Noun + " batches.</param>");
        w.Line("/// <param name=\"checkpoint\">Which weights: <c>TestCheckpoint.Best</c>, <c>TestCheckpoint.Last</c> or <c>TestCheckpoint.From(path)</c>.</param>");
        w.Line("/// <param name=\"cancellationToken\">Checked once per batch.</param>");
        w.Line(DeviceParameter);
        w.Line("/// <returns>The metrics the " + phase.Attribute + " updates; the others are null.</returns>");
        w.Line("public " + TypeNames.Metrics + " " + phase.PublicName + "(" + FitShape.Source(p) + " data, " + TypeNames.TestCheckpoint + " checkpoint, " + TypeNames.CancellationToken + " cancellationToken = default, "
            + TypeNames.Device + "? device = null)");
        w.Open();
        w.Line(TypeNames.ArgumentNullException + ".ThrowIfNull(data);");
        w.Line("// The weights load into the placed models");
        PlacementEmitter.EmitCall(w, "device", configureOptimizers: false, "data");
        w.Line("var path = checkpoint.Resolve(" + string.Join(", ", p.Keepers.Select(k => "this." + k)) + ");");
        foreach (var model in p.Members.Models)
            w.Line(TypeNames.Checkpoint + ".LoadModelWeights(path, this." + model + ", \"" + model + "\");");
        w.Line("return " + phase.PassName + "(data, data.Count, " + (phase.InFit ? "run: null, " : "") + "cancellationToken);");
        w.Close();
        w.Line();
    }

    static void EmitPass(IndentedWriter w, PipelineModel p, StepModel step, EvaluationPhase phase)
    {
        var models = p.Members.Models;
        w.Line("/// <summary>One " + phase.Noun + " pass over the first <paramref name=\"batches\"/> batches, one dispose scope each.</summary>");
        w.Line(TypeNames.Metrics + " " + phase.PassName + "(" + FitShape.Source(p) + " data, int batches, " + (phase.InFit ? TypeNames.PipelineRun + "? run, " : "") + TypeNames.CancellationToken + " cancellationToken)");
        w.Open();
        foreach (var model in models)
        {
            w.Line("// [Model] " + model + ": eval mode for the pass; every module gets its own mode back afterwards");
            w.Line("var " + model + "Modes = " + TypeNames.ModuleModes + ".Capture(this." + model + ");");
        }
        if (models.Count > 0)
            w.Line("try").Open();
        foreach (var model in models)
            w.Line("this." + model + ".eval();");
        w.Line("using var noGrad = " + TypeNames.Torch + ".no_grad();");
        MetricsRecordEmitter.Reset(w, p, phase.Phases, "updated by the " + phase.Attribute + ", reset for the pass");
        w.Line("data.StartPass();");
        w.Line("for (var index = 0; index < batches; index++)").Open();
        w.Line("cancellationToken.ThrowIfCancellationRequested();");
        w.Line("using var scope = " + TypeNames.Torch + ".NewDisposeScope();");
        if (phase.InFit)
        {
            w.Line("// " + phase.Attribute + " " + step.Name + ", under the autocast of FitOptions.Precision when Fit validates (float32 when called from " + phase.PublicName + ")");
            w.Line("using (run is null ? default : run.EnterAutocast())").Indented(step.Call("data.GetBatch(index)") + ";");
        }
        else
        {
            w.Line("// " + phase.Attribute + " " + step.Name);
            w.Line(step.Call("data.GetBatch(index)") + ";");
        }
        w.Close();
        if (p.Members.Metrics.Any(m => m.In(phase.Phases)))
        {
            w.Line("if (batches == 0)").Indented("return " + MetricsRecordEmitter.Empty(p) + ";");
            w.Line("return " + MetricsRecordEmitter.Computed(p, phase.Phases) + ";");
        }
        else
        {
            w.Line("return " + MetricsRecordEmitter.Empty(p) + ";");
        }
        if (models.Count > 0)
        {
            w.Close();
            w.Line("finally").Open();
            foreach (var model in models.Reverse())
                w.Line(model + "Modes.Restore();");
            w.Close();
        }
        w.Close();
    }
}
