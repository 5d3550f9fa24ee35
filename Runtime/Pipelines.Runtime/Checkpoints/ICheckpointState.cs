namespace Pipelines.Checkpoints;

/// <summary>
/// Something whose state a checkpoint carries beside the models and optimizers: a handler
/// (early stopping's best score and patience counter, the best checkpoints' list), an
/// LR scheduler, a metric's accumulators, a data source's position. Its state is a small JSON
/// object plus named tensors, kept under <c>states.&lt;name&gt;</c>.
/// Restoring is two-phase so that a bad checkpoint changes nothing: every component's
/// <see cref="ValidateState"/> runs (and every model and optimizer is checked) before any
/// <see cref="LoadState"/> does.
/// </summary>
public interface ICheckpointState
{
    /// <summary>Writes the state: JSON properties through <see cref="CheckpointStateWriter.Json"/>, tensors through <see cref="CheckpointStateWriter.AddTensor"/>.</summary>
    void SaveState(CheckpointStateWriter writer);

    /// <summary>
    /// Checks a saved state without changing anything; throws (preferably through
    /// <see cref="CheckpointStateReader.Error"/>, which names the file and key) when it does not fit.
    /// </summary>
    void ValidateState(CheckpointStateReader reader);

    /// <summary>Applies a state that <see cref="ValidateState"/> accepted; it should not throw.</summary>
    void LoadState(CheckpointStateReader reader);
}
