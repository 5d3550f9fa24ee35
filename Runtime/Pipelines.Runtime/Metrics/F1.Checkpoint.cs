using Pipelines.Checkpoints;

namespace Pipelines.Metrics;

/// <summary>
/// Checkpoint support: the confusion matrix's counts, saved as <see cref="ConfusionMatrix"/> saves
/// them, so that a checkpoint written in the middle of an epoch resumes the score exactly. The
/// generated <c>Fit</c> registers every [Metric] its [TrainingStep] updates.
/// </summary>
public sealed partial class F1 : ICheckpointState
{
    /// <inheritdoc />
    public void SaveState(CheckpointStateWriter writer) => matrix.SaveState(writer);

    /// <inheritdoc />
    public void ValidateState(CheckpointStateReader reader) => matrix.ValidateState(reader);

    /// <inheritdoc />
    public void LoadState(CheckpointStateReader reader) => matrix.LoadState(reader);
}
