namespace Pipelines.Data;

/// <summary>
/// Batches by index, the shape the generated loop iterates without an enumerator allocation:
/// <see cref="StartPass"/> once per pass (a training epoch, a validation run), then
/// <see cref="GetBatch"/> for 0 .. <see cref="Count"/> - 1. Tensors a batch creates belong to
/// the caller's dispose scope (the engine opens one per iteration).
/// </summary>
/// <typeparam name="TBatch">What a step receives.</typeparam>
public interface IBatchSource<out TBatch>
{
    /// <summary>The number of batches in one pass.</summary>
    int Count { get; }

    /// <summary>Prepares a pass (a shuffling source draws its new order here).</summary>
    void StartPass();

    /// <summary>The batch at <paramref name="index"/> of the current pass.</summary>
    TBatch GetBatch(int index);
}
