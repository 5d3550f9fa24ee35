using Pipelines.Checkpoints;

namespace Pipelines.Data;

/// <summary>
/// Makes a batch source's position part of a checkpoint. A shuffling source of your own that
/// draws the same sequence of orders from the same seed needs only the number of passes started
/// as its state: restoring a fresh source replays that many
/// <see cref="IBatchSource{TBatch}.StartPass"/> calls, after which its generator stands where the
/// saved one stood. Its state (<c>passes</c>, <c>position</c>, <c>count</c>) is opaque to the engine.
/// To resume mid-epoch, do not start a new pass for the resumed epoch: continue the current one
/// at batch index <see cref="CheckpointCounters.EpochIteration"/> (== <see cref="Position"/>).
/// </summary>
/// <typeparam name="TBatch">What the source yields.</typeparam>
public sealed class ResumableBatchSource<TBatch> : IBatchSource<TBatch>, IBatchPlacement, ICheckpointState
{
    readonly IBatchSource<TBatch> inner;

    /// <summary>Wraps <paramref name="inner"/>, which must not have started a pass yet (its passes are counted from here).</summary>
    public ResumableBatchSource(IBatchSource<TBatch> inner) => this.inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <summary>The passes started so far (a training source: epochs begun).</summary>
    public int Passes { get; private set; }

    /// <summary>Batches fetched in the current pass: one past the highest index asked for.</summary>
    public int Position { get; private set; }

    /// <inheritdoc />
    public int Count => inner.Count;

    /// <inheritdoc />
    public void StartPass()
    {
        inner.StartPass();
        Passes++;
        Position = 0;
    }

    /// <summary>Passes the run's device on to the wrapped source when it places its batches itself.</summary>
    public void PlaceBatchesOn(TorchSharp.torch.Device device) => (inner as IBatchPlacement)?.PlaceBatchesOn(device);

    /// <inheritdoc />
    public TBatch GetBatch(int index)
    {
        var batch = inner.GetBatch(index);
        Position = Math.Max(Position, index + 1);
        return batch;
    }

    /// <inheritdoc />
    public void SaveState(CheckpointStateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Json.WriteNumber("passes", Passes);
        writer.Json.WriteNumber("position", Position);
        writer.Json.WriteNumber("count", Count);
    }

    /// <inheritdoc />
    public void ValidateState(CheckpointStateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var passes = reader.GetInt32("passes");
        var position = reader.GetInt32("position");
        var count = reader.GetInt32("count");
        if (count != Count)
            throw reader.Error("count", $"the saved source had {count} batches per pass, this one has {Count}: a different dataset, batch size or drop_last.");
        if (passes < 0 || position < 0 || position > count)
            throw reader.Error("position", $"pass {passes}, position {position} is impossible for {count} batches per pass.");
        if (passes < Passes)
            throw reader.Error("passes", $"the source has already started {Passes} passes, more than the {passes} saved: restore into a fresh source.");
    }

    /// <inheritdoc />
    public void LoadState(CheckpointStateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var passes = reader.GetInt32("passes");
        while (Passes < passes)
            StartPass();
        Position = reader.GetInt32("position");
    }
}
