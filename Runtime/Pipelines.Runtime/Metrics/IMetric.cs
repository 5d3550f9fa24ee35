namespace Pipelines.Metrics;

/// <summary>
/// PyTorch Ignite's metric contract: <see cref="Reset"/> at the start of a phase, an
/// <c>Update</c> per batch (typed per metric) that accumulates on the device without a host
/// sync, and <see cref="IMetric{TResult}.Compute"/> at the end, which reads the accumulators once.
/// </summary>
public interface IMetric
{
    /// <summary>Forgets everything accumulated.</summary>
    void Reset();
}

/// <summary>A metric whose <see cref="Compute"/> yields a <typeparamref name="TResult"/>.</summary>
/// <typeparam name="TResult">The computed value's type.</typeparam>
public interface IMetric<out TResult> : IMetric
{
    /// <summary>The value over every update since the last reset; throws <see cref="InvalidOperationException"/> when there was none.</summary>
    TResult Compute();
}
