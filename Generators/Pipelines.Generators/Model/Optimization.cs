namespace Pipelines.Generators.Model;

/// <summary>Who runs backward and the optimizer step of a training iteration (Lightning's automatic and manual optimization).</summary>
internal enum Optimization
{
    /// <summary>The [TrainingStep] returns the loss; the engine runs backward and steps the [Optimizer] members.</summary>
    Automatic,

    /// <summary>The [TrainingStep] returns nothing and runs backward and its optimizers itself.</summary>
    Manual,
}
