using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Metrics;

/// <summary>The mean of the absolute differences between predictions and targets, over every element.</summary>
public sealed partial class MeanAbsoluteError : IMetric<double>, IDisposable
{
    readonly DeviceSum sum = new();

    /// <summary>Accumulates <c>|predictions - targets|</c>; the shapes must match.</summary>
    public void Update(Tensor predictions, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(targets);
        using var scope = torch.NewDisposeScope();
        sum.Add(predictions.detach().sub(targets).abs(), predictions.numel());
    }

    /// <inheritdoc />
    public void Reset() => sum.Reset();

    /// <inheritdoc />
    public double Compute() => sum.Total(nameof(MeanAbsoluteError)) / sum.Count;

    /// <summary>Frees the device accumulator.</summary>
    public void Dispose() => sum.Dispose();
}
