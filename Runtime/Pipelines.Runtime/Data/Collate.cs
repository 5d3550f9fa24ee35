namespace Pipelines.Data;

/// <summary>Builds one batch from the examples of a map-style dataset (PyTorch's <c>collate_fn</c>).</summary>
/// <typeparam name="TExample">One example.</typeparam>
/// <param name="examples">The batch's examples, in batch order (the span is reused: do not keep it).</param>
public delegate Batch Collate<TExample>(ReadOnlySpan<TExample> examples);
