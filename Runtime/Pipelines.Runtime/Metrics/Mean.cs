using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Metrics;

/// <summary>The mean of every element passed to <see cref="Update"/> (a loss, a score), accumulated on the device.</summary>
public sealed class Mean : AveragedMetric
{
    /// <summary>Adds every element of <paramref name="values"/> (a scalar loss counts once).</summary>
    public void Update(Tensor values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Sum.Add(values, values.numel());
    }
}
