using System.Linq;
using Pipelines.Generators.Model;

namespace Pipelines.Generators.Emit;

/// <summary>What the shape of a pipeline decides about its <c>Fit</c>: the batch source type, the result type, who optimizes, whether the engine clips.</summary>
internal static class FitShape
{
    /// <summary>The result <c>Fit</c> returns.</summary>
    public const string Result = TypeNames.FitResult + "<" + TypeNames.Metrics + ", " + TypeNames.Hyperparameters + ">";

    /// <summary>The batch source of the pipeline's batch type.</summary>
    public static string Source(PipelineModel p) => TypeNames.BatchSource + "<" + p.Steps.BatchType + ">";

    /// <summary>A step that returns no loss runs backward and its optimizers itself.</summary>
    public static bool Manual(PipelineModel p) => !p.Steps.Automatic;

    /// <summary>The engine runs zero_grad and the optimizer step: automatic optimization with at least one optimizer.</summary>
    public static bool StepsOptimizers(PipelineModel p) => p.Steps.Automatic && p.Members.Optimizers.Count > 0;

    /// <summary>The engine clips gradients where it steps the optimizers: automatic optimization over at least one model.</summary>
    public static bool Clips(PipelineModel p) => StepsOptimizers(p) && p.Members.Models.Count > 0;

    /// <summary>Whether the [TrainingStep] updates a metric (the training epoch then returns the computed record).</summary>
    public static bool HasTrainingMetrics(PipelineModel p) => p.Members.Metrics.Any(m => m.In(MetricPhases.Training));
}
