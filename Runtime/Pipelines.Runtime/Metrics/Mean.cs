using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Metrics;

/// <summary>The mean of every element passed to <see cref="Update"/> (a loss, a score), accumulated on the device.</summary>
public sealed partial class Mean : IMetric<double>, IDisposable
{
    readonly DeviceSum sum = new();

    /// <summary>Adds every element of <paramref name="values"/> (a scalar loss counts once).</summary>
    public void Update(Tensor values)
    {
        ArgumentNullException.ThrowIfNull(values);
        sum.Add(values, values.numel());
    }

    /// <inheritdoc />
    public void Reset() => sum.Reset();

    /// <inheritdoc />
    public double Compute() => sum.Total(nameof(Mean)) / sum.Count;

    /// <summary>Frees the device accumulator.</summary>
    public void Dispose() => sum.Dispose();
}
