using System.Linq;
using Pipelines.Generators.Model;
using Pipelines.Rules;

namespace Pipelines.Generators.Emit;

/// <summary>
/// <c>FindLearningRate</c>: Lightning's <c>lr_find</c> driven by the pipeline's own [TrainingStep],
/// for a pipeline whose step returns its loss from the batch alone and that has one [Optimizer],
/// a TorchSharp <c>torch.optim.Optimizer</c> (the rate to find is that optimizer's), unless the
/// class declares a member of that name.
/// </summary>
internal static class LearningRateFinderEmitter
{
    public static bool CanEmit(PipelineModel p) =>
        !p.Declares(UserDeclarations.FindLearningRate) && p.Steps.Automatic && !p.Steps.Training.TakesState && !p.Steps.Training.TakesOptimizers
        && p.Members.Models.Count > 0 && p.Members.Optimizers.Count == 1 && p.Checkpoint.Optimizers.Contains(p.Members.Optimizers[0]);

    public static void Emit(IndentedWriter w, PipelineModel p)
    {
        var optimizer = p.Members.Optimizers[0];
        w.Line("/// <summary>");
        w.Line("/// Lightning's learning-rate range test with the [TrainingStep] " + p.Steps.Training.Name + ": up to <see cref=\"" + TypeNames.LearningRateFinder + ".Steps\"/>");
        w.Line("/// batches of <paramref name=\"data\"/> at rising rates of [Optimizer] " + optimizer + "; afterwards the [Model]s, the optimizer");
        w.Line("/// and every module's mode are as they were (the training metrics the step updated are reset by <c>Fit</c>).");
        w.Line("/// </summary>");
        w.Line("/// <param name=\"data\">The training batches.</param>");
        w.Line("/// <param name=\"finder\">The range and the stopping rule; null uses Lightning's defaults (1e-8 to 1, 100 steps).</param>");
        w.Line("/// <param name=\"device\">Where the [Model]s and the batches of <paramref name=\"data\"/> go first, as with <c>FitOptions.Device</c> (null: where the last placement put them).</param>");
        w.Line("/// <returns>The rates and smoothed losses, and <c>Suggestion()</c>.</returns>");
        w.Line("public " + TypeNames.LearningRateFinderResult + " " + WellKnownNames.FindLearningRate + "(" + TypeNames.BatchSource + "<" + p.Steps.BatchType + "> data, " + TypeNames.LearningRateFinder + "? finder = null, "
            + TypeNames.Device + "? device = null)");
        w.Open();
        w.Line(TypeNames.ArgumentNullException + ".ThrowIfNull(data);");
        PlacementEmitter.EmitCall(w, "device", configureOptimizers: true, "data");
        w.Line("return (finder ?? new " + TypeNames.LearningRateFinder + "()).Run(this." + optimizer + ", new " + TypeNames.Module + "[] { "
            + string.Join(", ", p.Members.Models.Select(m => "this." + m)) + " }, data, batch => " + p.Steps.Training.Call("batch") + ");");
        w.Close();
    }
}
