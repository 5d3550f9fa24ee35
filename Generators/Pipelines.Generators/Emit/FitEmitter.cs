using System.Linq;
using Pipelines.Generators.Model;
using Pipelines.Rules;

namespace Pipelines.Generators.Emit;

/// <summary><c>Fit</c> (the run: setup, epochs, validation, run-level events) and <c>RunTrainingEpoch</c> (one epoch of iterations).</summary>
internal static class FitEmitter
{
    /// <summary>The generated field holding the best-checkpoint keepers of the latest <c>Fit</c>, which <c>Test(TestCheckpoint)</c> reads.</summary>
    public const string KeepersField = "fitKeepers";

    public static void Emit(IndentedWriter w, PipelineModel p)
    {
        w.Line("/// <summary>The best-checkpoint keepers of the latest <c>Fit</c> (callback members, then <see cref=\"" + TypeNames.FitOptions + ".Callbacks\"/>); null before one.</summary>");
        w.Line(TypeNames.BestCheckpoints + "[]? " + KeepersField + ";");
        w.Line();
        EmitSignature(w, p);
        w.Open();
        EmitRunSetup(w, p);
        CheckpointContentsEmitter.Emit(w, p);
        // Trainer callbacks may take any event, ExceptionRaised included: the run is always wrapped.
        w.Line("try").Open();
        RunPreparationEmitter.Emit(w, p);
        EpochLoopEmitter.Emit(w, p);
        RunEndEmitter.Emit(w, p);
        RunEndEmitter.EmitFailure(w, p);
        w.Line("return new " + FitShape.Result + "(metrics, hyperparameters, run);");
        w.Close();
        w.Line();
        TrainingEpochEmitter.Emit(w, p);
    }

    static void EmitSignature(IndentedWriter w, PipelineModel p)
    {
        var hasValidation = p.Steps.Validation is not null;
        w.Line("/// <summary>");
        w.Line("/// Trains on <paramref name=\"train\"/> for up to <see cref=\"" + TypeNames.FitOptions + ".MaxEpochs\"/> epochs" + (hasValidation ? ", validating on <paramref name=\"validation\"/> when given" : "") + ".");
        w.Line("/// Generated from the [Pipeline] members of this class: the loop, the modes, no_grad and the optimizer calls are here.");
        w.Line("/// </summary>");
        w.Line("/// <param name=\"train\">The training batches, one pass per epoch.</param>");
        if (hasValidation)
            w.Line("/// <param name=\"validation\">The validation batches (none: no validation).</param>");
        w.Line("/// <param name=\"options\">Epochs, limits, " + (FitShape.Manual(p) ? "" : "accumulation, clipping, ") + "seed, device (defaults: one epoch).</param>");
        w.Line("/// <param name=\"cancellationToken\">Checked once per iteration; cancelling interrupts the run after the iteration in progress:");
        w.Line("/// with <see cref=\"" + TypeNames.FitOptions + ".Checkpoints\"/> a checkpoint that resumes it is written, and the result says <c>Interrupted</c>.</param>");
        w.Line("/// <returns>The latest metrics, the hyperparameters, the final counters, and whether the run was interrupted.</returns>");
        string[] parameters = hasValidation
            ? [FitShape.Source(p) + " train", FitShape.Source(p) + "? validation = null", TypeNames.FitOptions + "? options = null", TypeNames.CancellationToken + " cancellationToken = default"]
            : [FitShape.Source(p) + " train", TypeNames.FitOptions + "? options = null", TypeNames.CancellationToken + " cancellationToken = default"];
        w.Signature("public " + FitShape.Result + " Fit", parameters);
    }

    static void EmitRunSetup(IndentedWriter w, PipelineModel p)
    {
        w.Line(TypeNames.ArgumentNullException + ".ThrowIfNull(train);");
        w.Line("options ??= new " + TypeNames.FitOptions + "();");
        w.Line("// FitOptions.Device: the [Model]s move there" + (p.Steps.ConfigureOptimizers is { } configure ? ", then [ConfigureOptimizers] " + configure + " builds the optimizers" : "")
            + "; the batch sources with no device of their own deliver there");
        if (p.Steps.Validation is not null)
            PlacementEmitter.EmitCall(w, "options.Device", configureOptimizers: true, "train", "validation");
        else
            PlacementEmitter.EmitCall(w, "options.Device", configureOptimizers: true, "train");
        w.Line("var hyperparameters = CaptureHyperparameters();");
        if (FitShape.Manual(p))
            w.Line("// [TrainingStep] " + p.Steps.Training.Name + " returns no loss: manual optimization (each iteration counts as one optimizer step)");
        w.Line("using var run = new " + TypeNames.PipelineRun + "(options, train.Count, " + (p.Steps.Validation is not null ? "validation?.Count ?? 0" : "0")
            + (FitShape.Manual(p) ? ", manualOptimization: true" : "") + ")");
        w.Line("{");
        w.Indented("Hyperparameters = hyperparameters,");
        w.Indented("Cancellation = cancellationToken,");
        w.Indented("Metrics = new " + TypeNames.MetricValues + "(" + TypeNames.Metrics + ".Keys),");
        w.Indented("DataWait = train as " + TypeNames.DataWaitMeter + ",");
        var optimizers = p.Checkpoint.Optimizers;
        if (optimizers.Count > 0)
            w.Indented("Optimizers = new " + TypeNames.NamedOptimizer + "[] { " + string.Join(", ", optimizers.Select(o => "new(\"" + o + "\", this." + o + ")")) + " },");
        w.Line("};");
        w.Line("var state = new " + TypeNames.PipelineState + "(run);");
        OptimizationEmitter.EmitLossScalingCheck(w, p);
        w.Line("var metrics = " + MetricsRecordEmitter.Empty(p) + ";");
    }
}
