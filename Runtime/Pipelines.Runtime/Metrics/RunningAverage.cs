using Pipelines.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Metrics;

/// <summary>
/// An exponential moving average, Ignite's <c>RunningAverage</c>: the first value starts it, each
/// later one moves it by <c>1 - alpha</c>. Kept on the device; a smooth loss for progress output.
/// </summary>
public sealed partial class RunningAverage : IMetric<double>, IDisposable
{
    Tensor? average;
    double? restored;

    /// <summary>Creates an average that keeps <paramref name="alpha"/> of its value at each update (0 &lt; alpha &lt; 1).</summary>
    public RunningAverage(double alpha = 0.98)
    {
        if (!(alpha > 0 && alpha < 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must lie strictly between 0 and 1.");
        Alpha = alpha;
    }

    /// <summary>The weight of the previous average at each update.</summary>
    public double Alpha { get; }

    /// <summary>Moves the average towards the mean of <paramref name="value"/>.</summary>
    public void Update(Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        using var scope = torch.NewDisposeScope();
        var current = value.detach().to(ScalarType.Float64).mean();
        if (average is null && restored is { } saved)
        {
            // Restored from a checkpoint: the same device operations as if the average had never left the device.
            average = scope.Detach(torch.full_like(current, saved));
            restored = null;
        }
        if (average is null)
            average = scope.Detach(current);
        else
        {
            // Explicit scalars, alive until the native calls return (an implicit one can be finalized under its call: docs/reliability.md).
            using var weight = Alpha.ToScalar();
            using var complement = (1 - Alpha).ToScalar();
            average.mul_(weight).add_(current, complement);
        }
    }

    /// <inheritdoc />
    public void Reset()
    {
        average?.Dispose();
        average = null;
        restored = null;
    }

    /// <inheritdoc />
    public double Compute() => average is null && restored is { } value ? value :
        HostRead.ToDouble(average ?? throw new InvalidOperationException("RunningAverage: Compute() needs at least one Update() since the last Reset()."));

    /// <summary>Frees the device accumulator.</summary>
    public void Dispose() => Reset();
}
