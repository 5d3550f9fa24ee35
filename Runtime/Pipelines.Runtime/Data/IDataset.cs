namespace Pipelines.Data;

/// <summary>
/// A map-style dataset (PyTorch's <c>Dataset</c> with <c>__getitem__</c>/<c>__len__</c>): examples
/// by index. A <see cref="BatchLoader"/> reads one through <see cref="CollatedDataset{TExample}"/>,
/// which gathers a batch's examples and collates them; datasets that can build a whole batch at
/// once (in-memory tensors) implement <see cref="IBatchDataset"/> directly and skip the per-example work.
/// </summary>
/// <typeparam name="TExample">One example (e.g. an image tensor and its label).</typeparam>
public interface IDataset<out TExample>
{
    /// <summary>The number of examples.</summary>
    int Count { get; }

    /// <summary>The example at <paramref name="index"/> (0 .. <see cref="Count"/> - 1).</summary>
    TExample Get(int index);
}
