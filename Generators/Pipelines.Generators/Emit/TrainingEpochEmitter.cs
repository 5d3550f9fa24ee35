using Pipelines.Generators.Model;
using Pipelines.Rules;

namespace Pipelines.Generators.Emit;

/// <summary><c>RunTrainingEpoch</c>: training mode, the metrics' reset, then one dispose scope per iteration with its events, step and optimization.</summary>
internal static class TrainingEpochEmitter
{
    public static void Emit(IndentedWriter w, PipelineModel p)
    {
        var trainingMetrics = FitShape.HasTrainingMetrics(p);
        var clips = FitShape.Clips(p);
        w.Line(FitShape.Manual(p)
            ? "/// <summary>One training epoch: training mode, then for each batch (one dispose scope each) the [TrainingStep], which runs backward and steps its optimizers itself.</summary>"
            : "/// <summary>One training epoch: training mode, then for each batch (one dispose scope each) zero_grad, the [TrainingStep], backward" + (clips ? ", clipping" : "") + " and the optimizer step.</summary>");
        string[] parameters = clips
            ? [FitShape.Source(p) + " train", TypeNames.PipelineRun + " run", "in " + TypeNames.PipelineState + " state", TypeNames.GradientClipping + "? clipping", TypeNames.PipelineCheckpoints + "? checkpoints", TypeNames.TrainerCallbacks + " callbacks"]
            : [FitShape.Source(p) + " train", TypeNames.PipelineRun + " run", "in " + TypeNames.PipelineState + " state", TypeNames.PipelineCheckpoints + "? checkpoints", TypeNames.TrainerCallbacks + " callbacks"];
        w.Signature((trainingMetrics ? TypeNames.Metrics : "void") + " RunTrainingEpoch", parameters);
        w.Open();
        foreach (var model in p.Members.Models)
        {
            w.Line("// [Model] " + model + ": training mode (a model left in eval mode is switched back; frozen submodules stay frozen)");
            w.Line(TypeNames.ModuleModes + ".EnsureTraining(this." + model + ");");
        }
        if (trainingMetrics)
        {
            w.Line("if (!run.EpochResumed)").Open();
            MetricsRecordEmitter.Reset(w, p, MetricPhases.Training, "updated by the [TrainingStep], reset for the epoch (a resumed epoch keeps its restored accumulators)");
            w.Close();
        }
        HandlerEmitter.Emit(w, p, LoopPlace.EpochStarted);
        w.Line("// A new epoch draws its pass; an epoch resumed from a mid-epoch checkpoint continues the restored one");
        w.Line("if (!run.EpochResumed)").Indented("train.StartPass();");
        EmitIteration(w, p);
        if (trainingMetrics)
        {
            w.Line("if (run.EpochIteration == 0)").Indented("return " + MetricsRecordEmitter.Empty(p) + ";");
            w.Line("return " + MetricsRecordEmitter.Computed(p, MetricPhases.Training) + ";");
        }
        w.Close();
    }

    static void EmitIteration(IndentedWriter w, PipelineModel p)
    {
        w.Line("while (run.StartIteration())").Open();
        w.Line("using var scope = " + TypeNames.Torch + ".NewDisposeScope();");
        w.Line("var batch = train.GetBatch(run.EpochIteration - 1);");
        w.Line("// FitOptions.Profiler: each phase ends with a mark (a null check when the profiler is off)");
        OptimizationEmitter.EndPhase(w, "DataWait");
        EmitCallbacks(w, p, LoopPlace.IterationStarted);
        OptimizationEmitter.EmitStep(w, p);
        EmitCallbacks(w, p, LoopPlace.BackwardCompleted);
        OptimizationEmitter.EmitOptimizerStep(w, p);
        EmitCallbacks(w, p, LoopPlace.IterationCompleted);
        w.Line("// FitOptions.Checkpoints.EveryIterations: a mid-epoch checkpoint, only right after an optimizer step");
        w.Line("if (checkpoints is not null && run.CheckpointDue)").Indented("checkpoints.Save(epochCompleted: false);");
        w.Close();
    }

    static void EmitCallbacks(IndentedWriter w, PipelineModel p, LoopPlace place)
    {
        HandlerEmitter.Emit(w, p, place);
        if (HandlerEmitter.Any(p, place))
            OptimizationEmitter.EndPhase(w, "Callbacks");
    }
}
