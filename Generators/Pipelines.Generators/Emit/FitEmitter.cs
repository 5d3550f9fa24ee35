using System.Linq;
using Pipelines.Generators.Model;
using Pipelines.Rules;

namespace Pipelines.Generators.Emit;

/// <summary><c>Fit</c> (the run: epochs, validation, run-level events) and <c>RunTrainingEpoch</c> (one epoch of iterations).</summary>
internal static class FitEmitter
{
    public static void Emit(IndentedWriter w, PipelineModel p)
    {
        EmitFit(w, p);
        w.Line();
        EmitTrainingEpoch(w, p);
    }

    static string Source(PipelineModel p) => TypeNames.BatchSource + "<" + p.BatchType + ">";

    static string Result => TypeNames.FitResult + "<" + TypeNames.Metrics + ", " + TypeNames.Hyperparameters + ">";

    /// <summary>A step that returns no loss runs backward and its optimizers itself.</summary>
    static bool Manual(PipelineModel p) => !p.TrainingReturnsLoss;

    /// <summary>The engine clips gradients where it steps the optimizers: automatic optimization over at least one model.</summary>
    static bool Clips(PipelineModel p) => p.TrainingReturnsLoss && p.Optimizers.Count > 0 && p.Models.Count > 0;

    static void EmitFit(IndentedWriter w, PipelineModel p)
    {
        var hasValidation = p.Validation is not null;
        w.Line("/// <summary>");
        w.Line("/// Trains on <paramref name=\"train\"/> for up to <see cref=\"" + TypeNames.FitOptions + ".MaxEpochs\"/> epochs" + (hasValidation ? ", validating on <paramref name=\"validation\"/> when given" : "") + ".");
        w.Line("/// Generated from the [Pipeline] members of this class: the loop, the modes, no_grad and the optimizer calls are here.");
        w.Line("/// </summary>");
        w.Line("/// <param name=\"train\">The training batches, one pass per epoch.</param>");
        if (hasValidation)
            w.Line("/// <param name=\"validation\">The validation batches (none: no validation).</param>");
        w.Line("/// <param name=\"options\">Epochs, limits, " + (Manual(p) ? "" : "accumulation, clipping, ") + "seed, device (defaults: one epoch).</param>");
        w.Line("/// <param name=\"cancellationToken\">Checked once per iteration; cancelling interrupts the run after the iteration in progress: with <see cref=\"" + TypeNames.FitOptions + ".Checkpoints\"/> a checkpoint that resumes it is written, and the result says <c>Interrupted</c>.</param>");
        w.Line("/// <returns>The latest metrics, the hyperparameters, the final counters, and whether the run was interrupted.</returns>");
        w.Line("public " + Result + " Fit(");
        w.Indented(Source(p) + " train,");
        if (hasValidation)
            w.Indented(Source(p) + "? validation = null,");
        w.Indented(TypeNames.FitOptions + "? options = null,");
        w.Indented(TypeNames.CancellationToken + " cancellationToken = default)");
        w.Open();
        w.Line(TypeNames.ArgumentNullException + ".ThrowIfNull(train);");
        w.Line("options ??= new " + TypeNames.FitOptions + "();");
        w.Line("var hyperparameters = CaptureHyperparameters();");
        if (Manual(p))
            w.Line("// [TrainingStep] " + p.Training.Name + " returns no loss: manual optimization (each iteration counts as one optimizer step)");
        w.Line("using var run = new " + TypeNames.PipelineRun + "(options, train.Count, " + (hasValidation ? "validation?.Count ?? 0" : "0")
            + (Manual(p) ? ", manualOptimization: true" : "") + ")");
        w.Line("{");
        w.Indented("Hyperparameters = hyperparameters,");
        w.Indented("Cancellation = cancellationToken,");
        w.Indented("Metrics = new " + TypeNames.MetricValues + "(" + TypeNames.Metrics + ".Keys),");
        w.Indented("DataWait = train as " + TypeNames.DataWaitMeter + ",");
        if (p.CheckpointOptimizers.Count > 0)
            w.Indented("Optimizers = new " + TypeNames.NamedOptimizer + "[] { " + string.Join(", ", p.CheckpointOptimizers.Select(o => "new(\"" + o + "\", this." + o + ")")) + " },");
        w.Line("};");
        w.Line("var state = new " + TypeNames.PipelineState + "(run);");
        w.Line("var metrics = " + MetricsRecordEmitter.Empty(p) + ";");

        EmitCheckpointContents(w, p, hasValidation);

        var catches = HandlerEmitter.Any(p, EventNames.ExceptionRaised);
        if (catches)
            w.Line("try").Open();

        w.Line("if (options.Seed is { } seed)").Indented(TypeNames.Seeding + ".SeedEverything(seed);");
        if (p.Models.Count > 0)
        {
            w.Line("if (options.Device is { } device)").Open();
            // TorchSharp's Module.to replaces the parameters: the optimizers that may hold them go along to be checked.
            var optimizers = string.Concat(p.CheckpointOptimizers.Select(o => ", this." + o));
            foreach (var model in p.Models)
            {
                w.Line("// [Model] " + model + ": moved unless it is there already; refused if an optimizer holds the parameters a move would replace");
                w.Line(TypeNames.DeviceMoves + ".MoveModel(this." + model + ", \"" + model + "\", device" + optimizers + ");");
            }
            w.Close();
        }
        if (Clips(p))
        {
            w.Line("// FitOptions.GradientClipNorm/GradientClipValue over the parameters of [Model] " + string.Join(", ", p.Models) + " (null: no clipping)");
            w.Line("var clipping = " + TypeNames.GradientClipping + ".For(options, " + string.Join(", ", p.Models.Select(m => "this." + m)) + ");");
        }
        w.Line("// FitOptions.ResumeFrom: restore the members above, the random generators and the data's position, then continue from the saved counters");
        w.Line("checkpoints?.Resume();");
        HandlerEmitter.Emit(w, p, EventNames.Started);
        w.Line("while (run.StartEpoch())").Open();
        var trainingMetrics = p.Metrics.Any(m => m.Training);
        var epochCall = "RunTrainingEpoch(train, run, in state, " + (Clips(p) ? "clipping, " : "") + "checkpoints)";
        if (trainingMetrics)
        {
            w.Line("var trained = " + epochCall + ";");
            w.Line("metrics = MergeMetrics(metrics, trained);");
            MetricsRecordEmitter.Publish(w, p, "train", "trained");
        }
        else
        {
            w.Line(epochCall + ";");
        }
        w.Line("if (run.Interrupted || run.EpochTerminated)").Indented("break;");
        if (hasValidation)
        {
            w.Line("if (validation is not null && run.ValidationDue)").Open();
            HandlerEmitter.Emit(w, p, EventNames.ValidationStarted);
            var passCall = "RunValidationPass(validation, run.ValidationBatches, cancellationToken)";
            w.Line("try").Open();
            var validationMetrics = p.Metrics.Any(m => m.Validation);
            w.Line(validationMetrics ? "var validated = " + passCall + ";" : passCall + ";");
            if (validationMetrics)
            {
                w.Line("metrics = MergeMetrics(metrics, validated);");
                w.Line("// The validation metrics reach every handler through state.Metrics, whatever ValidateEvery is");
                MetricsRecordEmitter.Publish(w, p, "val", "validated");
            }
            w.Line("run.Metrics.Validated(run.Epoch);");
            w.Close();
            w.Line("catch (" + TypeNames.OperationCanceledException + ") when (cancellationToken.IsCancellationRequested)").Open();
            w.Line("// Interrupted during validation: the checkpoint stands after the epoch's training, so a resumed run validates this epoch again");
            w.Line("run.Interrupt();");
            w.Line("break;");
            w.Close();
            HandlerEmitter.Emit(w, p, EventNames.ValidationCompleted);
            w.Close();
        }
        HandlerEmitter.Emit(w, p, EventNames.EpochCompleted);
        w.Line("// The epoch-end checkpoints" + (p.Keepers.Any() ? " (" + string.Join(", ", p.Keepers) + ": last and best)" : "") + ", after every handler (their state included)");
        w.Line("checkpoints?.EpochCompleted();");
        w.Close();
        var endHandlers = HandlerEmitter.Any(p, EventNames.Terminated) || HandlerEmitter.Any(p, EventNames.Completed);
        w.Line("if (run.Interrupted)").Open();
        w.Line("// Cancelled (the token, Ctrl-C): a checkpoint that resumes exactly here" + (endHandlers ? "; the run is not over, so no Terminated or Completed" : ""));
        w.Line("checkpoints?.Interrupted();");
        if (endHandlers)
            w.Line("return new " + Result + "(metrics, hyperparameters, run);");
        w.Close();
        if (HandlerEmitter.Any(p, EventNames.Terminated))
        {
            w.Line("if (run.TerminateRequested)").Open();
            HandlerEmitter.Emit(w, p, EventNames.Terminated);
            w.Close();
        }
        HandlerEmitter.Emit(w, p, EventNames.Completed);

        if (catches)
        {
            w.Close();
            w.Line("catch (" + TypeNames.Exception + " exception) when (exception is not " + TypeNames.OperationCanceledException + " || !cancellationToken.IsCancellationRequested)");
            w.Open();
            w.Line("run.Fail(exception);");
            HandlerEmitter.Emit(w, p, EventNames.ExceptionRaised);
            w.Line("throw;");
            w.Close();
        }
        w.Line("return new " + Result + "(metrics, hyperparameters, run);");
        w.Close();
    }

    /// <summary>What every checkpoint of the run holds, one line per member, named after it; null checkpoints when the options neither write nor resume any.</summary>
    static void EmitCheckpointContents(IndentedWriter w, PipelineModel p, bool hasValidation)
    {
        w.Line("// Checkpoints (FitOptions.Checkpoints, RunDirectory, ResumeFrom" + (p.Keepers.Any() ? ", and the best-checkpoint members" : "") + "): what each one holds, under the members' names");
        w.Line("var contents = new " + TypeNames.CheckpointContents + "();");
        foreach (var model in p.Models)
            w.Line("contents.Models.Add(\"" + model + "\", this." + model + ");");
        foreach (var optimizer in p.CheckpointOptimizers)
            w.Line("contents.Optimizers.Add(\"" + optimizer + "\", this." + optimizer + ");");
        foreach (var component in p.CheckpointStates)
        {
            w.Line("// " + component.Why);
            w.Line("contents.States.Add(\"" + component.Member + "\", this." + component.Member + ");");
        }
        w.Line("// The data sources' positions and the hyperparameters are added here" + (p.Keepers.Any() ? "; the best-checkpoint members (" + string.Join(", ", p.Keepers) + ") write the epoch-end checkpoints" : ""));
        w.Line("var checkpoints = " + TypeNames.PipelineCheckpoints + ".Create(options, run, contents, train, " + (hasValidation ? "validation" : "null")
            + string.Concat(p.Keepers.Select(k => ", this." + k)) + ");");
    }

    static void EmitTrainingEpoch(IndentedWriter w, PipelineModel p)
    {
        var trainingMetrics = p.Metrics.Any(m => m.Training);
        w.Line(Manual(p)
            ? "/// <summary>One training epoch: training mode, then for each batch (one dispose scope each) the [TrainingStep], which runs backward and steps its optimizers itself.</summary>"
            : "/// <summary>One training epoch: training mode, then for each batch (one dispose scope each) zero_grad, the [TrainingStep], backward" + (Clips(p) ? ", clipping" : "") + " and the optimizer step.</summary>");
        w.Line((trainingMetrics ? TypeNames.Metrics : "void") + " RunTrainingEpoch(" + Source(p) + " train, " + TypeNames.PipelineRun + " run, in "
            + TypeNames.PipelineState + " state, " + (Clips(p) ? TypeNames.GradientClipping + "? clipping, " : "") + TypeNames.PipelineCheckpoints + "? checkpoints)");
        w.Open();
        foreach (var model in p.Models)
        {
            w.Line("// [Model] " + model + ": training mode (a model left in eval mode is switched back; frozen submodules stay frozen)");
            w.Line(TypeNames.ModuleModes + ".EnsureTraining(this." + model + ");");
        }
        if (trainingMetrics)
        {
            w.Line("if (!run.EpochResumed)").Open();
            MetricsRecordEmitter.Reset(w, p, m => m.Training, "updated by the [TrainingStep], reset for the epoch (a resumed epoch keeps its restored accumulators)");
            w.Close();
        }
        HandlerEmitter.Emit(w, p, EventNames.EpochStarted);
        w.Line("// A new epoch draws its pass; an epoch resumed from a mid-epoch checkpoint continues the restored one");
        w.Line("if (!run.EpochResumed)").Indented("train.StartPass();");
        w.Line("while (run.StartIteration())").Open();
        w.Line("using var scope = " + TypeNames.Torch + ".NewDisposeScope();");
        w.Line("var batch = train.GetBatch(run.EpochIteration - 1);");
        HandlerEmitter.Emit(w, p, EventNames.IterationStarted);
        var automatic = p.TrainingReturnsLoss && p.Optimizers.Count > 0;
        if (p.TrainingReturnsLoss)
        {
            if (automatic)
            {
                w.Line("if (run.ZeroGradDue)").Open();
                foreach (var optimizer in p.Optimizers)
                {
                    w.Line("// [Optimizer] " + optimizer + ": clear the gradients at the start of an accumulation window");
                    w.Line("this." + optimizer + ".zero_grad();");
                }
                w.Close();
            }
            w.Line("// [TrainingStep] " + p.Training.Name);
            w.Line("var loss = " + p.Training.Call("batch", p.Optimizers) + ";");
            w.Line("run.Backward(loss);");
        }
        else
        {
            w.Line("// [TrainingStep] " + p.Training.Name + " (manual optimization: the step runs backward and its optimizers itself)");
            w.Line(p.Training.Call("batch", p.Optimizers) + ";");
            w.Line("run.CompleteManualStep();");
        }
        HandlerEmitter.Emit(w, p, EventNames.BackwardCompleted);
        if (automatic)
        {
            w.Line("if (run.CompleteBackward())").Open();
            if (Clips(p))
            {
                w.Line("// FitOptions.GradientClipNorm/GradientClipValue, on the gradients of the whole window");
                w.Line("clipping?.Clip();");
            }
            foreach (var optimizer in p.Optimizers)
            {
                w.Line("// [Optimizer] " + optimizer);
                w.Line("this." + optimizer + ".step();");
            }
            w.Line("run.CompleteOptimizerStep();");
            w.Close();
        }
        HandlerEmitter.Emit(w, p, EventNames.IterationCompleted);
        w.Line("// FitOptions.Checkpoints.EveryIterations: a mid-epoch checkpoint, only right after an optimizer step");
        w.Line("if (checkpoints is not null && run.CheckpointDue)").Indented("checkpoints.Save(epochCompleted: false);");
        w.Close();
        if (trainingMetrics)
        {
            w.Line("if (run.EpochIteration == 0)").Indented("return " + MetricsRecordEmitter.Empty(p) + ";");
            w.Line("return " + MetricsRecordEmitter.Computed(p, m => m.Training) + ";");
        }
        w.Close();
    }
}
