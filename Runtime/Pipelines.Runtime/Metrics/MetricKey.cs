namespace Pipelines.Metrics;

/// <summary>
/// One metric of one phase of a pipeline, as the generated <c>Metrics</c> record names it
/// (<c>Metrics.Val.Accuracy</c>): its position in the run's <see cref="MetricValues"/> and its
/// name (<c>val/accuracy</c>), the one every logger, table, progress line and checkpoint file uses.
/// Monitors (early stopping, best checkpoints, ReduceLROnPlateau) take a key, so that a metric that
/// does not exist does not compile.
/// </summary>
public readonly record struct MetricKey
{
    /// <summary>A key; the generated code makes one per metric and phase.</summary>
    /// <param name="index">The metric's position in the pipeline's <see cref="MetricValues"/>.</param>
    /// <param name="name">The phase prefix and the metric's name: <c>train/loss</c>, <c>val/accuracy</c>, <c>test/accuracy</c>.</param>
    public MetricKey(int index, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Index = index;
        Name = name;
    }

    /// <summary>The metric's position in the pipeline's <see cref="MetricValues"/>.</summary>
    public int Index { get; }

    /// <summary>The metric's name with its phase prefix (<c>val/accuracy</c>).</summary>
    public string Name { get; }

    /// <summary>The name as a file name fragment (<c>val_accuracy</c>): <c>/</c> becomes <c>_</c>.</summary>
    public string FileName => Name.Replace('/', '_');

    /// <inheritdoc />
    public override string ToString() => Name;
}
