using System.Text.Json;

namespace Pipelines;

/// <summary>
/// The [Hyperparameter] values of a pipeline, captured when <c>Fit</c> starts. Each pipeline
/// gets a generated record implementing this (typed properties, one per member); loggers and
/// checkpoints use this interface to record the values without reflection.
/// </summary>
public interface IHyperparameters
{
    /// <summary>Name, declared type and value of every hyperparameter, in declaration order.</summary>
    IReadOnlyList<Hyperparameter> ToList();

    /// <summary>Writes the values as one JSON object, <c>{"LearningRate":0.001,...}</c>, keyed by the record's property names.</summary>
    void WriteJson(Utf8JsonWriter writer);
}
