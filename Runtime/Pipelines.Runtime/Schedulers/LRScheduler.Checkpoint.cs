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
        if (Length is { } length)
            writer.Json.WriteNumber("length", length);
        writer.Json.WriteStartArray("base_lrs");
        foreach (var lr in baseLrs)
            writer.Json.WriteNumberValue(lr);
        writer.Json.WriteEndArray();
    }

    /// <inheritdoc />
    public void ValidateState(CheckpointStateReader reader)
    {
        var state = Read(reader);
        CheckLength(reader);
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

    /// <summary>
    /// A schedule whose shape depends on the run's length (<see cref="Length"/>) cannot continue a
    /// run of another length: caught here, at resume time, rather than as a jump in the rate or a
    /// failed step thousands of steps later.
    /// </summary>
    void CheckLength(CheckpointStateReader reader)
    {
        if (Length is not { } length)
            return;
        var saved = reader.GetInt64("length");
        if (saved != length)
            throw reader.Error("length",
                $"the checkpoint's {GetType().Name} was sized for {saved} steps, this run's for {length}: the run length changed (epochs, batches per epoch, batch size or a batch limit) "
                + $"and a {GetType().Name} cannot follow another length. Resume with the settings of the checkpointed run, or start a new run from its weights (Checkpoint.LoadModelWeights).");
    }

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
