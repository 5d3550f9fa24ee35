using System.Linq;
using Pipelines.Generators.Model;

namespace Pipelines.Generators.Emit;

/// <summary>One iteration's optimization: zero_grad, the [TrainingStep] and backward (automatic), or the step alone (manual); then the optimizer step.</summary>
internal static class OptimizationEmitter
{
    /// <summary>The training step, with zero_grad before and backward after it when the engine optimizes.</summary>
    public static void EmitStep(IndentedWriter w, PipelineModel p)
    {
        var training = p.Steps.Training;
        var optimizers = p.Members.Optimizers;
        if (FitShape.Manual(p))
        {
            w.Line("// [TrainingStep] " + training.Name + " (manual optimization: the step runs backward and its optimizers itself, and under FitOptions.Strategy Ddp averages the gradients with state.ReduceGradients()), under the autocast of FitOptions.Precision");
            w.Line("using (run.EnterAutocast())").Indented(training.Call("batch", optimizers) + ";");
            EndPhase(w, "TrainingStep");
            w.Line("run.CompleteManualStep();");
            return;
        }
        if (FitShape.StepsOptimizers(p))
        {
            w.Line("if (run.ZeroGradDue)").Open();
            foreach (var optimizer in optimizers)
            {
                w.Line("// [Optimizer] " + optimizer + ": clear the gradients at the start of an accumulation window");
                w.Line("this." + optimizer + ".zero_grad();");
            }
            w.Close();
            EndPhase(w, "OptimizerStep");
        }
        w.Line("// [TrainingStep] " + training.Name + ", under the autocast of FitOptions.Precision (backward and the optimizer step outside it)");
        w.Line(TypeNames.Tensor + " loss;");
        w.Line("using (run.EnterAutocast())").Indented("loss = " + training.Call("batch", optimizers) + ";");
        EndPhase(w, "TrainingStep");
        w.Line("run.Backward(loss);");
        EndPhase(w, "Backward");
    }

    /// <summary>Refuses 16-mixed at the start of Fit when an [Optimizer] the engine steps is not a TorchSharp optimizer (the loss scaler cannot reach its gradients).</summary>
    public static void EmitLossScalingCheck(IndentedWriter w, PipelineModel p)
    {
        if (!FitShape.StepsOptimizers(p))
            return;
        foreach (var optimizer in p.Members.Optimizers)
        {
            if (!p.Checkpoint.Optimizers.Contains(optimizer))
                w.Line("run.RefuseLossScaling(\"[Optimizer] " + optimizer + " is not a TorchSharp optimizer\");");
        }
    }

    /// <summary>A phase boundary for <c>FitOptions.Profiler</c>: the time since the previous one counts for <paramref name="phase"/>.</summary>
    public static void EndPhase(IndentedWriter w, string phase) => w.Line("run.EndPhase(" + TypeNames.ProfiledPhase + "." + phase + ");");

    /// <summary>At the end of an accumulation window: the gradients averaged over data-parallel ranks, unscaling (16-mixed) and clipping, then each [Optimizer]'s step through the run (automatic optimization only).</summary>
    public static void EmitOptimizerStep(IndentedWriter w, PipelineModel p)
    {
        if (!FitShape.StepsOptimizers(p))
            return;
        w.Line("if (run.CompleteBackward())").Open();
        w.Line("// FitOptions.Strategy Ddp: the window's gradients averaged over the ranks (nothing in one process)").Line("run.ReduceGradients();");
        EndPhase(w, "GradientReduce");
        if (FitShape.Clips(p))
        {
            w.Line("if (clipping is not null)").Open();
            foreach (var optimizer in p.Checkpoint.Optimizers)
            {
                w.Line("// FitOptions.Precision 16-mixed: [Optimizer] " + optimizer + "'s gradients divided by the loss scale, so that clipping sees the true ones");
                w.Line("run.Unscale(this." + optimizer + ");");
            }
            w.Line("// FitOptions.GradientClipNorm/GradientClipValue, on the gradients of the whole window");
            w.Line("clipping.Clip();");
            w.Close();
        }
        foreach (var optimizer in p.Members.Optimizers)
        {
            if (!p.Checkpoint.Optimizers.Contains(optimizer))
            {
                w.Line("// [Optimizer] " + optimizer + " (not a TorchSharp optimizer: Fit refuses 16-mixed for it)");
                w.Line("this." + optimizer + ".step();");
                continue;
            }
            w.Line("// [Optimizer] " + optimizer + ": its step (under 16-mixed through the loss scaler, which skips a step with inf or NaN gradients)");
            w.Line("run.Step(this." + optimizer + ");");
        }
        w.Line("run.CompleteOptimizerStep();");
        EndPhase(w, "OptimizerStep");
        w.Close();
    }
}
