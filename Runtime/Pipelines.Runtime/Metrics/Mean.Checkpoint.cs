using Pipelines.Checkpoints;

namespace Pipelines.Metrics;

/// <summary>
/// Checkpoint support: the accumulated sum and count, so that a checkpoint written in the middle
/// of an epoch resumes the epoch's value exactly. The generated <c>Fit</c> registers every [Metric]
/// its [TrainingStep] updates.
/// </summary>
public sealed partial class Mean : ICheckpointState
{
    /// <inheritdoc />
    public void SaveState(CheckpointStateWriter writer) => sum.SaveState(writer);

    /// <inheritdoc />
    public void ValidateState(CheckpointStateReader reader) => sum.ValidateState(reader);

    /// <inheritdoc />
    public void LoadState(CheckpointStateReader reader) => sum.LoadState(reader);
}
