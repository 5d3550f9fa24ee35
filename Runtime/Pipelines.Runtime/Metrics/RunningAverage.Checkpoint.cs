using Pipelines.Checkpoints;
using Pipelines.Core;

namespace Pipelines.Metrics;

/// <summary>
/// Checkpoint support: the average (read from the device when saved) and <see cref="Alpha"/>. The
/// restored value waits on the host until the next <see cref="Update"/> puts it back on the
/// device of the values, so the resumed average is bitwise the uninterrupted one.
/// </summary>
public sealed partial class RunningAverage : ICheckpointState
{
    /// <inheritdoc />
    public void SaveState(CheckpointStateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteDouble("alpha", Alpha);
        if (average is not null)
            writer.WriteDouble("average", HostRead.ToDouble(average));
        else if (restored is { } value)
            writer.WriteDouble("average", value);
    }

    /// <inheritdoc />
    public void ValidateState(CheckpointStateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var alpha = reader.GetDouble("alpha");
        if (alpha != Alpha)
            throw reader.Error("alpha", $"the saved average used alpha {alpha}, this one {Alpha}.");
        if (reader.Json.TryGetProperty("average", out _))
            reader.GetDouble("average");
    }

    /// <inheritdoc />
    public void LoadState(CheckpointStateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Reset();
        restored = reader.Json.TryGetProperty("average", out _) ? reader.GetDouble("average") : null;
    }
}
