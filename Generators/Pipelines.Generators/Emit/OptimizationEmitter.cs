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
            w.Line("// [TrainingStep] " + training.Name + " (manual optimization: the step runs backward and its optimizers itself), under the autocast of FitOptions.Precision");
            w.Line("using (run.EnterAutocast())").Indented(training.Call("batch", optimizers) + ";");
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
        }
        w.Line("// [TrainingStep] " + training.Name + ", under the autocast of FitOptions.Precision (backward and the optimizer step outside it)");
        w.Line(TypeNames.Tensor + " loss;");
        w.Line("using (run.EnterAutocast())").Indented("loss = " + training.Call("batch", optimizers) + ";");
        w.Line("run.Backward(loss);");
    }

    /// <summary>At the end of an accumulation window: the gradients averaged over data-parallel ranks, clipping, then each [Optimizer]'s step (automatic optimization only).</summary>
    public static void EmitOptimizerStep(IndentedWriter w, PipelineModel p)
    {
        if (!FitShape.StepsOptimizers(p))
            return;
        w.Line("if (run.CompleteBackward())").Open();
        w.Line("// FitOptions.Strategy Ddp: the window's gradients averaged over the ranks (nothing in one process)").Line("run.ReduceGradients();");
        if (FitShape.Clips(p))
        {
            w.Line("// FitOptions.GradientClipNorm/GradientClipValue, on the gradients of the whole window");
            w.Line("clipping?.Clip();");
        }
        foreach (var optimizer in p.Members.Optimizers)
        {
            w.Line("// [Optimizer] " + optimizer);
            w.Line("this." + optimizer + ".step();");
        }
        w.Line("run.CompleteOptimizerStep();");
        w.Close();
    }
}
