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
        PrecisionParameterDoc(w, phase);
        w.Line("/// <param name=\"cancellationToken\">Checked once per batch.</param>");
        w.Line(DeviceParameter);
        w.Line("/// <returns>The metrics the " + phase.Attribute + " updates; the others are null.</returns>");
        w.Line("public " + TypeNames.Metrics + " " + phase.PublicName + "(" + FitShape.Source(p) + " data, " + PrecisionParameter + ", " + TypeNames.CancellationToken + " cancellationToken = default, " + TypeNames.Device + "? device = null)");
        w.Open();
        w.Line(TypeNames.ArgumentNullException + ".ThrowIfNull(data);");
        PlacementEmitter.EmitCall(w, "device", configureOptimizers: false, "data");
        w.Line("return " + phase.PassName + "(data, data.Count, " + AutocastFor(p) + ", cancellationToken);");
        w.Close();
        w.Line();
        if (phase.Phases == MetricPhases.Test && p.Members.Models.Count > 0)
            EmitTestFromCheckpoint(w, p, phase);
        EmitPass(w, p, step, phase);
    }

    const string PrecisionParameter = TypeNames.PrecisionMode + "? precision = null";

    static void PrecisionParameterDoc(IndentedWriter w, EvaluationPhase phase) =>
        w.Line("/// <param name=\"precision\">The precision of the " + phase.Attribute + " (Lightning's trainer precision; <c>32-true</c> when null): a mixed one runs it under autocast for the device of the [Model] parameters.</param>");

    // The autocast of a pass called from outside Fit: its precision argument, for the device its models are on.
    static string AutocastFor(PipelineModel p) =>
        TypeNames.AutocastSetting + ".ForModels(precision" + string.Concat(p.Members.Models.Select(m => ", this." + m)) + ")";

    const string DeviceParameter = "/// <param name=\"device\">Where the [Model]s and the batches of <paramref name=\"data\"/> go, as with <c>FitOptions.Device</c> (null: where the last placement put them).</param>";

    static void EmitTestFromCheckpoint(IndentedWriter w, PipelineModel p, EvaluationPhase phase)
    {
        w.Line("/// <summary>Loads the [Model] weights of <paramref name=\"checkpoint\"/> (the best or last file of the first best-checkpoint keeper of the latest <c>Fit</c>, " + (p.Keepers.Any() ? p.Keepers.First() : "one given in FitOptions.Callbacks") + ", or a path), then runs the " + phase.Attribute + " over <paramref name=\"data\"/> (Lightning's <c>trainer.test(ckpt_path=...)</c>).</summary>");
        w.Line("/// <param name=\"data\">The " + phase.Noun + " batches.</param>");
        w.Line("/// <param name=\"checkpoint\">Which weights: <c>TestCheckpoint.Best</c>, <c>TestCheckpoint.Last</c> or <c>TestCheckpoint.From(path)</c>.</param>");
        PrecisionParameterDoc(w, phase);
        w.Line("/// <param name=\"cancellationToken\">Checked once per batch.</param>");
        w.Line(DeviceParameter);
        w.Line("/// <returns>The metrics the " + phase.Attribute + " updates; the others are null.</returns>");
        w.Line("public " + TypeNames.Metrics + " " + phase.PublicName + "(" + FitShape.Source(p) + " data, " + TypeNames.TestCheckpoint + " checkpoint, " + PrecisionParameter + ", " + TypeNames.CancellationToken + " cancellationToken = default, "
            + TypeNames.Device + "? device = null)");
        w.Open();
        w.Line(TypeNames.ArgumentNullException + ".ThrowIfNull(data);");
        w.Line("// The weights load into the placed models");
        PlacementEmitter.EmitCall(w, "device", configureOptimizers: false, "data");
        w.Line("// The best-checkpoint keepers of the latest Fit; before one, " + (p.Keepers.Any() ? "the members' (" + string.Join(", ", p.Keepers) + ")" : "none"));
        w.Line("var path = checkpoint.Resolve(this." + FitEmitter.KeepersField + " ?? " + (p.Keepers.Any()
            ? "new " + TypeNames.BestCheckpoints + "[] { " + string.Join(", ", p.Keepers.Select(k => "this." + k)) + " }"
            : TypeNames.Array + ".Empty<" + TypeNames.BestCheckpoints + ">()") + ");");
        foreach (var model in p.Members.Models)
            w.Line(TypeNames.Checkpoint + ".LoadModelWeights(path, this." + model + ", \"" + model + "\");");
        w.Line("return " + phase.PassName + "(data, data.Count, " + AutocastFor(p) + ", cancellationToken);");
        w.Close();
        w.Line();
    }

    static void EmitPass(IndentedWriter w, PipelineModel p, StepModel step, EvaluationPhase phase)
    {
        var models = p.Members.Models;
        w.Line("/// <summary>One " + phase.Noun + " pass over the first <paramref name=\"batches\"/> batches, one dispose scope each.</summary>");
        w.Line(TypeNames.Metrics + " " + phase.PassName + "(" + FitShape.Source(p) + " data, int batches, " + TypeNames.AutocastSetting + " autocast, " + TypeNames.CancellationToken + " cancellationToken)");
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
        EmitStepCall(w, step, phase);
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

    /// <summary>The step on the batch at <c>index</c>; a step whose argument is built from the batch gets the batch in a local first.</summary>
    static void EmitStepCall(IndentedWriter w, StepModel step, EvaluationPhase phase)
    {
        var batch = "data.GetBatch(index)";
        if (step.Converts)
        {
            w.Line("var batch = data.GetBatch(index);");
            batch = "batch";
        }
        w.Line("// " + phase.Attribute + " " + step.Name + ", under the autocast of " + (phase.InFit ? "FitOptions.Precision when Fit validates, of the precision argument" : "the precision argument") + " when called from " + phase.PublicName);
        w.Line("using (autocast.Enter())").Indented(step.Call(batch) + ";");
    }
}
