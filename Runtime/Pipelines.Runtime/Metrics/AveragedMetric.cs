using Pipelines.Checkpoints;

namespace Pipelines.Metrics;

/// <summary>
/// What <see cref="Mean"/>, <see cref="Accuracy"/>, <see cref="MeanAbsoluteError"/> and
/// <see cref="MeanSquaredError"/> share: a sum and a count that accumulate on the device and are
/// read once in <see cref="Compute"/>. The sum and the count travel in checkpoints, so that a
/// checkpoint written in the middle of an epoch resumes the epoch's value exactly; the generated
/// <c>Fit</c> registers every [Metric] its [TrainingStep] updates.
/// </summary>
public abstract class AveragedMetric : IMetric<double>, ICheckpointState, IDisposable
{
    private protected AveragedMetric()
    {
    }

    private protected DeviceSum Sum { get; } = new();

    /// <inheritdoc />
    public void Reset() => Sum.Reset();

    /// <summary>
    /// The sum over the count, read from the device once. In a data-parallel run both are first
    /// summed over the ranks, so every rank must call it and gets the whole dataset's value.
    /// </summary>
    public double Compute() => Sum.Mean(GetType().Name);

    /// <inheritdoc />
    public void SaveState(CheckpointStateWriter writer) => Sum.SaveState(writer);

    /// <inheritdoc />
    public void ValidateState(CheckpointStateReader reader) => Sum.ValidateState(reader);

    /// <inheritdoc />
    public void LoadState(CheckpointStateReader reader) => Sum.LoadState(reader);

    /// <summary>Frees the device accumulator.</summary>
    public void Dispose() => Sum.Dispose();
}
