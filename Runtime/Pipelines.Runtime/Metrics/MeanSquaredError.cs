using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Metrics;

/// <summary>The mean of the squared differences between predictions and targets, over every element.</summary>
public sealed partial class MeanSquaredError : IMetric<double>, IDisposable
{
    readonly DeviceSum sum = new();

    /// <summary>Accumulates <c>(predictions - targets)^2</c>; the shapes must match.</summary>
    public void Update(Tensor predictions, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(targets);
        using var scope = torch.NewDisposeScope();
        sum.Add(predictions.detach().sub(targets).square(), predictions.numel());
    }

    /// <inheritdoc />
    public void Reset() => sum.Reset();

    /// <inheritdoc />
    public double Compute() => sum.Total(nameof(MeanSquaredError)) / sum.Count;

    /// <summary>Frees the device accumulator.</summary>
    public void Dispose() => sum.Dispose();
}
