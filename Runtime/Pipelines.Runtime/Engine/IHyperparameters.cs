using Pipelines.Checkpoints;

namespace Pipelines;

/// <summary>
/// The [Hyperparameter] values of a pipeline, captured when <c>Fit</c> starts. Each pipeline
/// gets a generated record implementing this (typed properties, one per member); checkpoints,
/// <c>hparams.json</c> and TensorBoard record its <see cref="ToValues"/> without reflection.
/// </summary>
public interface IHyperparameters
{
    /// <summary>Every hyperparameter by its record property's name (<c>LearningRate</c>), in declaration order.</summary>
    HyperparameterValues ToValues();
}
