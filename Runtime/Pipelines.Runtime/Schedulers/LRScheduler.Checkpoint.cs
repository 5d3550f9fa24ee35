using Pipelines.Checkpoints;

namespace Pipelines.Schedulers;

/// <summary>
/// Checkpoint support: the step count and the base rates (<see cref="LRSchedulerState"/>); restoring
/// sets each group's rate for the saved step. A scheduler member of a [Pipeline] class is checkpointed without an attribute.
/// </summary>
public abstract partial class LRScheduler : ICheckpointState
{
    /// <inheritdoc />
    public void SaveState(CheckpointStateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Json.WriteString("type", GetType().Name);
        writer.Json.WriteNumber("last_epoch", LastEpoch);
        writer.Json.WriteStartArray("base_lrs");
        foreach (var lr in baseLrs)
            writer.Json.WriteNumberValue(lr);
        writer.Json.WriteEndArray();
    }

    /// <inheritdoc />
    public void ValidateState(CheckpointStateReader reader)
    {
        var state = Read(reader);
        // A schedule whose length comes from the run is checked when the run starts and sets it.
        if (LengthFromRun && LastEpoch == -1)
            return;
        try
        {
            CheckStep(state.LastEpoch);
        }
        catch (ArgumentException e)
        {
            throw reader.Error("last_epoch", e.Message);
        }
    }

    /// <inheritdoc />
    void ICheckpointState.LoadState(CheckpointStateReader reader) => LoadState(Read(reader));

    LRSchedulerState Read(CheckpointStateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var type = reader.GetString("type");
        if (type != GetType().Name)
            throw reader.Error("type", $"the checkpoint holds a {type}, this scheduler is a {GetType().Name}.");
        var lastEpoch = reader.GetInt32("last_epoch");
        if (lastEpoch < 0)
            throw reader.Error("last_epoch", "cannot be negative.");
        var array = reader.GetProperty("base_lrs");
        if (array.ValueKind != System.Text.Json.JsonValueKind.Array || array.GetArrayLength() != baseLrs.Length)
            throw reader.Error("base_lrs", $"expected an array of {baseLrs.Length} rates (one per parameter group).");
        var lrs = new double[baseLrs.Length];
        var i = 0;
        foreach (var element in array.EnumerateArray())
        {
            if (element.ValueKind != System.Text.Json.JsonValueKind.Number || !double.IsFinite(lrs[i] = element.GetDouble()))
                throw reader.Error("base_lrs", $"rate {i} is not a finite number.");
            i++;
        }
        return new LRSchedulerState(lastEpoch, lrs);
    }
}
