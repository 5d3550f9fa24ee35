namespace Pipelines.Data;

/// <summary>
/// A dataset that builds a whole batch from a set of example indexes in one go: the shape a
/// <see cref="BatchLoader"/> consumes. <see cref="TensorBatchDataset"/> does it with one
/// <c>index_select</c> per field; <see cref="CollatedDataset{TExample}"/> adapts a per-example
/// <see cref="IDataset{TExample}"/>.
/// </summary>
public interface IBatchDataset
{
    /// <summary>The number of examples.</summary>
    int Count { get; }

    /// <summary>
    /// The batch made of the examples at <paramref name="indexes"/>. Tensors it creates belong to the
    /// caller's dispose scope; it may be called from the loader's prefetch thread (never from two
    /// threads at once).
    /// </summary>
    Batch GetBatch(in BatchIndexes indexes);
}
