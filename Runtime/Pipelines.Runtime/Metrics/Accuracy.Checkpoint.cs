using Pipelines.Checkpoints;

namespace Pipelines.Metrics;

/// <summary>
/// Checkpoint support: the accumulated sum and count, so that a checkpoint written in the middle
/// of an epoch resumes the epoch's value exactly. The generated <c>Fit</c> registers every [Metric]
/// its [TrainingStep] updates.
/// </summary>
public sealed partial class Accuracy : ICheckpointState
{
    /// <inheritdoc />
    public void SaveState(CheckpointStateWriter writer) => hits.SaveState(writer);

    /// <inheritdoc />
    public void ValidateState(CheckpointStateReader reader) => hits.ValidateState(reader);

    /// <inheritdoc />
    public void LoadState(CheckpointStateReader reader) => hits.LoadState(reader);
}
