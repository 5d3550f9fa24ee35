using Pipelines.Checkpoints;

namespace Pipelines.Data;

/// <summary>
/// Checkpoint support (the generated <c>Fit</c> registers a training or validation source that
/// implements <see cref="ICheckpointState"/>): the seed, the current pass and the batches handed
/// out. Restoring reopens the saved pass at its position, exactly as <see cref="LoadState(BatchLoaderState)"/>
/// followed by <see cref="StartPass"/> would, so that the engine either continues it (a mid-epoch
/// resume fetches from batch <c>EpochIteration</c> without a new <see cref="StartPass"/>) or calls
/// <see cref="StartPass"/>, which then starts the following pass (a resume at an epoch boundary,
/// even when <c>LimitTrainBatches</c> stopped the pass early).
/// </summary>
/// <remarks>
/// The state is the same on every rank of a <see cref="BatchLoaderOptions.Shard"/> (they move in
/// step), so it records the world size but not the rank: one rank's checkpoint resumes every rank,
/// each on its own shard. A checkpoint of another world size is refused; one without the key was
/// written by a single process (before shards existed) and reads as world size 1.
/// </remarks>
public sealed partial class BatchLoader : ICheckpointState
{
    /// <inheritdoc />
    public void SaveState(CheckpointStateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Json.WriteNumber("seed", seed);
        writer.Json.WriteNumber("epoch", epoch);
        writer.Json.WriteNumber("position", position);
        writer.Json.WriteNumber("count", Count);
        writer.Json.WriteBoolean("shuffle", Options.Shuffle);
        writer.Json.WriteNumber("worldSize", Options.Shard.WorldSize);
    }

    /// <inheritdoc />
    public void ValidateState(CheckpointStateReader reader) => Read(reader);

    /// <inheritdoc />
    void ICheckpointState.LoadState(CheckpointStateReader reader)
    {
        LoadState(Read(reader));
        // Reopen the saved pass now (its order, the prefetcher at its position): the next StartPass then begins the following one.
        if (resumePending)
            StartPass();
    }

    BatchLoaderState Read(CheckpointStateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var state = new BatchLoaderState(reader.GetInt64("seed"), reader.GetInt32("epoch"), reader.GetInt32("position"));
        // Before the count: another world size changes the count too, and this is the reason to report.
        var worldSize = reader.Json.TryGetProperty("worldSize", out _) ? reader.GetInt32("worldSize") : 1;
        if (worldSize != Options.Shard.WorldSize)
            throw reader.Error("worldSize", $"the saved loader was sharded over {worldSize} rank(s), this one over {Options.Shard.WorldSize} (BatchLoaderOptions.Shard = {Options.Shard}): resume with the same number of processes.");
        var count = reader.GetInt32("count");
        if (count != Count)
            throw reader.Error("count", $"the saved loader had {count} batches per pass, this one has {Count}: a different dataset, batch size or drop_last.");
        if (reader.GetBoolean("shuffle") != Options.Shuffle)
            throw reader.Error("shuffle", $"the saved loader {(Options.Shuffle ? "did not shuffle" : "shuffled")}, this one {(Options.Shuffle ? "does" : "does not")}.");
        if (state.Epoch < 0 || state.Position < 0 || state.Position > Count)
            throw reader.Error("position", $"pass {state.Epoch}, position {state.Position} is impossible for {Count} batches per pass.");
        return state;
    }
}
