using Pipelines.Checkpoints;

namespace Pipelines.Handlers;

/// <summary>
/// Checkpoint support: the best value and the counters (<see cref="EarlyStoppingState"/>) travel
/// in a checkpoint, so a resumed run keeps its patience instead of starting it over. Mark the
/// member <c>[Checkpointed]</c> and the generated <c>Fit</c> saves and restores it.
/// </summary>
public sealed partial class EarlyStopping : ICheckpointState
{
    /// <inheritdoc />
    public void SaveState(CheckpointStateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        watch.SaveBest(writer);
        writer.Json.WriteNumber("best_check", BestCheck);
        writer.Json.WriteNumber("checks", Checks);
        writer.Json.WriteNumber("wait", Wait);
        writer.Json.WriteBoolean("stopped", Stopped);
    }

    /// <inheritdoc />
    public void ValidateState(CheckpointStateReader reader) => Read(reader);

    /// <inheritdoc />
    void ICheckpointState.LoadState(CheckpointStateReader reader) => LoadState(Read(reader));

    static EarlyStoppingState Read(CheckpointStateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var state = new EarlyStoppingState(ImprovementMonitor.ReadBest(reader), reader.GetInt32("best_check"), reader.GetInt32("checks"),
            reader.GetInt32("wait"), reader.GetBoolean("stopped"));
        if (state.Checks < 0 || state.Wait < 0 || state.BestCheck < 0 || state.BestCheck > state.Checks || state.Wait > state.Checks)
            throw reader.Error("checks", $"inconsistent counters: {state}.");
        ImprovementMonitor.CheckBest(reader, state.Best);
        return state;
    }
}
