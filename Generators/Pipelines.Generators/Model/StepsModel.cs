namespace Pipelines.Generators.Model;

/// <summary>
/// The step methods: the batch type the data sources yield (the runtime's <c>Batch</c> where the steps are fed from it), the [TrainingStep]
/// and how it optimizes, the evaluation steps (null: none), and the [ConfigureOptimizers] method that builds the optimizers after placement
/// (null: the user's constructor builds them).
/// </summary>
internal sealed record StepsModel(string BatchType, StepModel Training, Optimization Optimization, StepModel? Validation, StepModel? Test, string? ConfigureOptimizers = null)
{
    /// <summary>Whether the training step returns its loss (the engine runs backward and the optimizer step).</summary>
    public bool Automatic => Optimization == Optimization.Automatic;
}
