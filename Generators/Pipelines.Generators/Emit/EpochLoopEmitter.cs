using System.Linq;
using Pipelines.Generators.Model;
using Pipelines.Rules;

namespace Pipelines.Generators.Emit;

/// <summary>The epoch loop of <c>Fit</c>: the training epoch and its metrics, the validation pass when due, the epoch-end handlers and checkpoints.</summary>
internal static class EpochLoopEmitter
{
    public static void Emit(IndentedWriter w, PipelineModel p)
    {
        w.Line("while (run.StartEpoch())").Open();
        var epochCall = "RunTrainingEpoch(train, run, in state, " + (FitShape.Clips(p) ? "clipping, " : "") + "checkpoints, callbacks)";
        if (FitShape.HasTrainingMetrics(p))
        {
            w.Line("var trained = " + epochCall + ";");
            w.Line("metrics = MergeMetrics(metrics, trained);");
            MetricsRecordEmitter.Publish(w, p, MetricPhases.Training, "trained");
        }
        else
        {
            w.Line(epochCall + ";");
        }
        w.Line("if (run.Interrupted || run.EpochTerminated)").Indented("break;");
        if (p.Steps.Validation is not null)
            EmitValidation(w, p);
        HandlerEmitter.Emit(w, p, LoopPlace.EpochCompleted);
        w.Line("// The epoch-end checkpoints" + (p.Keepers.Any() ? " (" + string.Join(", ", p.Keepers) + ": last and best)" : "") + ", after every handler (their state included)");
        w.Line("checkpoints?.EpochCompleted();");
        w.Close();
    }

    static void EmitValidation(IndentedWriter w, PipelineModel p)
    {
        w.Line("if (validation is not null && run.ValidationDue)").Open();
        HandlerEmitter.Emit(w, p, LoopPlace.ValidationStarted);
        var passCall = "RunValidationPass(validation, run.ValidationBatches, run.Autocast, run.ValidationCancellation)";
        w.Line("try").Open();
        var validationMetrics = p.Members.Metrics.Any(m => m.In(MetricPhases.Validation));
        w.Line("// FitOptions.Profiler: the validation pass is one phase");
        w.Line("run.StartPhase();");
        w.Line(validationMetrics ? "var validated = " + passCall + ";" : passCall + ";");
        w.Line("run.EndPhase(" + TypeNames.ProfiledPhase + ".Validation);");
        if (validationMetrics)
        {
            w.Line("metrics = MergeMetrics(metrics, validated);");
            w.Line("// The validation metrics reach every handler through state.Metrics, whatever ValidateEvery is");
            MetricsRecordEmitter.Publish(w, p, MetricPhases.Validation, "validated");
        }
        w.Line("run.Metrics.Validated(run.Epoch);");
        w.Close();
        w.Line("catch (" + TypeNames.OperationCanceledException + ") when (cancellationToken.IsCancellationRequested)").Open();
        w.Line("// Interrupted during validation: the checkpoint stands after the epoch's training, so a resumed run validates this epoch again");
        w.Line("run.Interrupt();");
        w.Line("break;");
        w.Close();
        HandlerEmitter.Emit(w, p, LoopPlace.ValidationCompleted);
        w.Close();
    }
}
