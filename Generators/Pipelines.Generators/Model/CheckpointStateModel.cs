namespace Pipelines.Generators.Model;

/// <summary>
/// A member whose state every checkpoint carries beside the models and optimizers, by its name:
/// a [Metric] the training step updates whose type implements <c>ICheckpointState</c> (its
/// accumulators, for mid-epoch checkpoints), a callback with a state, or a [Checkpointed] member;
/// <see cref="Why"/> is the generated comment.
/// </summary>
internal sealed record CheckpointStateModel(string Member, string Why);
