using Pipelines.Checkpoints;

namespace Pipelines.Schedulers;

/// <summary>
/// Checkpoint support: <see cref="ReduceLROnPlateauState"/> (the rates themselves are in the
/// optimizer's saved parameter groups). Mark the member <c>[Checkpointed]</c>.
/// </summary>
public sealed partial class ReduceLROnPlateau : ICheckpointState
{
    /// <inheritdoc />
    public void SaveState(CheckpointStateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        watch.SaveBest(writer);
        writer.Json.WriteNumber("num_bad_epochs", NumBadEpochs);
        writer.Json.WriteNumber("cooldown_counter", CooldownCounter);
        writer.Json.WriteNumber("last_epoch", LastEpoch);
    }

    /// <inheritdoc />
    public void ValidateState(CheckpointStateReader reader) => Read(reader);

    /// <inheritdoc />
    void ICheckpointState.LoadState(CheckpointStateReader reader) => LoadState(Read(reader));

    static ReduceLROnPlateauState Read(CheckpointStateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var state = new ReduceLROnPlateauState(ImprovementMonitor.ReadBest(reader), reader.GetInt32("num_bad_epochs"),
            reader.GetInt32("cooldown_counter"), reader.GetInt32("last_epoch"));
        if (state.NumBadEpochs < 0 || state.CooldownCounter < 0 || state.LastEpoch < 0)
            throw reader.Error("num_bad_epochs", $"negative counters: {state}.");
        ImprovementMonitor.CheckBest(reader, state.Best);
        return state;
    }
}
