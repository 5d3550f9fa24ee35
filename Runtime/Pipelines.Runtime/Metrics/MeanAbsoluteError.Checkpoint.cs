using Pipelines.Checkpoints;

namespace Pipelines.Metrics;

/// <summary>
/// Checkpoint support: the accumulated sum and count, so that a checkpoint written in the middle
/// of an epoch resumes the epoch's value exactly. The generated <c>Fit</c> registers every [Metric]
/// its [TrainingStep] updates.
/// </summary>
public sealed partial class MeanAbsoluteError : ICheckpointState
{
    /// <inheritdoc />
    public void SaveState(CheckpointStateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        sum.Save(writer);
    }

    /// <inheritdoc />
    public void ValidateState(CheckpointStateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        DeviceSum.Validate(reader);
    }

    /// <inheritdoc />
    public void LoadState(CheckpointStateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        sum.Load(reader);
    }
}
