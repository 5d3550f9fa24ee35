using System.Linq;
using Pipelines.Generators.Model;

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
        w.Line("/// <param name=\"cancellationToken\">Checked once per iteration; cancelling throws <see cref=\"" + TypeNames.OperationCanceledException + "\"/> after the iteration in progress.</param>");
        w.Line("/// <returns>The latest metrics, the hyperparameters and the final counters.</returns>");
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
            + (Manual(p) ? ", manualOptimization: true" : "") + ") { Hyperparameters = hyperparameters };");
        w.Line("var state = new " + TypeNames.PipelineState + "(run);");
        w.Line("var metrics = " + MetricsRecordEmitter.Empty(p) + ";");

        var catches = HandlerEmitter.Any(p, EventNames.ExceptionRaised);
        if (catches)
            w.Line("try").Open();

        w.Line("if (options.Seed is { } seed)").Indented(TypeNames.Torch + ".manual_seed(seed);");
        if (p.Models.Count > 0)
        {
            w.Line("if (options.Device is { } device)").Open();
            foreach (var model in p.Models)
            {
                w.Line("// [Model] " + model);
                w.Line("this." + model + ".to(device);");
            }
            w.Close();
        }
        if (Clips(p))
        {
            w.Line("// FitOptions.GradientClipNorm/GradientClipValue over the parameters of [Model] " + string.Join(", ", p.Models) + " (null: no clipping)");
            w.Line("var clipping = " + TypeNames.GradientClipping + ".For(options, " + string.Join(", ", p.Models.Select(m => "this." + m)) + ");");
        }
        HandlerEmitter.Emit(w, p, EventNames.Started);
        w.Line("while (run.StartEpoch())").Open();
        var trainingMetrics = p.Metrics.Any(m => m.Training);
        var epochCall = "RunTrainingEpoch(train, run, in state, " + (Clips(p) ? "clipping, " : "") + "cancellationToken)";
        w.Line(trainingMetrics ? "metrics = MergeMetrics(metrics, " + epochCall + ");" : epochCall + ";");
        w.Line("if (run.EpochTerminated)").Indented("break;");
        if (hasValidation)
        {
            w.Line("if (validation is not null && run.ValidationDue)").Open();
            HandlerEmitter.Emit(w, p, EventNames.ValidationStarted);
            var passCall = "RunValidationPass(validation, run.ValidationBatches, cancellationToken)";
            w.Line(p.Metrics.Any(m => m.Validation) ? "metrics = MergeMetrics(metrics, " + passCall + ");" : passCall + ";");
            HandlerEmitter.Emit(w, p, EventNames.ValidationCompleted);
            w.Close();
        }
        HandlerEmitter.Emit(w, p, EventNames.EpochCompleted);
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

    static void EmitTrainingEpoch(IndentedWriter w, PipelineModel p)
    {
        var trainingMetrics = p.Metrics.Any(m => m.Training);
        w.Line(Manual(p)
            ? "/// <summary>One training epoch: training mode, then for each batch (one dispose scope each) the [TrainingStep], which runs backward and steps its optimizers itself.</summary>"
            : "/// <summary>One training epoch: training mode, then for each batch (one dispose scope each) zero_grad, the [TrainingStep], backward" + (Clips(p) ? ", clipping" : "") + " and the optimizer step.</summary>");
        w.Line((trainingMetrics ? TypeNames.Metrics : "void") + " RunTrainingEpoch(" + Source(p) + " train, " + TypeNames.PipelineRun + " run, in "
            + TypeNames.PipelineState + " state, " + (Clips(p) ? TypeNames.GradientClipping + "? clipping, " : "") + TypeNames.CancellationToken + " cancellationToken)");
        w.Open();
        foreach (var model in p.Models)
        {
            w.Line("// [Model] " + model + ": training mode (a model left in eval mode is switched back; frozen submodules stay frozen)");
            w.Line(TypeNames.ModuleModes + ".EnsureTraining(this." + model + ");");
        }
        MetricsRecordEmitter.Reset(w, p, m => m.Training, "updated by the [TrainingStep], reset for the epoch");
        HandlerEmitter.Emit(w, p, EventNames.EpochStarted);
        w.Line("train.StartPass();");
        w.Line("while (run.StartIteration())").Open();
        w.Line("cancellationToken.ThrowIfCancellationRequested();");
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
        w.Close();
        if (trainingMetrics)
        {
            w.Line("if (run.EpochIteration == 0)").Indented("return " + MetricsRecordEmitter.Empty(p) + ";");
            w.Line("return " + MetricsRecordEmitter.Computed(p, m => m.Training) + ";");
        }
        w.Close();
    }
}
