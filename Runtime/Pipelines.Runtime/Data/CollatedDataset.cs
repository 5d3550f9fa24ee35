namespace Pipelines.Data;

/// <summary>
/// Adapts a per-example <see cref="IDataset{TExample}"/> to the batch shape a
/// <see cref="BatchLoader"/> reads: gets each index's example, then collates them. The example
/// buffer is reused across batches (it grows once to the largest batch).
/// </summary>
/// <typeparam name="TExample">One example.</typeparam>
public sealed class CollatedDataset<TExample> : IBatchDataset
{
    readonly IDataset<TExample> dataset;
    readonly Collate<TExample> collate;
    TExample[] buffer = [];

    /// <summary>Reads <paramref name="dataset"/> example by example and builds batches with <paramref name="collate"/>.</summary>
    public CollatedDataset(IDataset<TExample> dataset, Collate<TExample> collate)
    {
        this.dataset = dataset ?? throw new ArgumentNullException(nameof(dataset));
        this.collate = collate ?? throw new ArgumentNullException(nameof(collate));
    }

    /// <inheritdoc />
    public int Count => dataset.Count;

    /// <inheritdoc />
    public Batch GetBatch(in BatchIndexes indexes)
    {
        if (buffer.Length < indexes.Length)
            buffer = new TExample[indexes.Length];
        var examples = buffer.AsSpan(0, indexes.Length);
        var order = indexes.Span;
        try
        {
            for (var i = 0; i < examples.Length; i++)
                examples[i] = dataset.Get((int)order[i]);
            return collate(examples);
        }
        finally
        {
            // Drop the references so that examples do not outlive their batch.
            examples.Clear();
        }
    }
}
