using Pipelines.Checkpoints;
using Pipelines.Core;

namespace Pipelines.Metrics;

/// <summary>
/// Checkpoint support for the accumulators of <see cref="Mean"/>, <see cref="Accuracy"/>,
/// <see cref="MeanSquaredError"/> and <see cref="MeanAbsoluteError"/>: the
/// running sum (read from the device when saved, a checkpoint being rare) and the count. A restored
/// sum waits on the host until the next <see cref="Add"/>, which starts the device sum from that
/// batch and adds the restored value to it: addition being commutative, the sum is bitwise the one
/// the uninterrupted run would hold.
/// </summary>
internal sealed partial class DeviceSum : ICheckpointState
{
    public void SaveState(CheckpointStateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Json.WriteNumber("count", Count);
        if (sum is not null)
            writer.WriteDouble("sum", HostRead.ToDouble(sum));
        else if (restored is { } value)
            writer.WriteDouble("sum", value);
    }

    public void ValidateState(CheckpointStateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (reader.GetInt64("count") < 0)
            throw reader.Error("count", "cannot be negative.");
        if (reader.Json.TryGetProperty("sum", out _))
            reader.GetDouble("sum");
    }

    public void LoadState(CheckpointStateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Reset();
        Count = reader.GetInt64("count");
        restored = reader.Json.TryGetProperty("sum", out _) ? reader.GetDouble("sum") : null;
    }
}
