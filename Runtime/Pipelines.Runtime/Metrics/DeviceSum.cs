using Pipelines.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Metrics;

/// <summary>A float64 running sum that stays on the device of the values, and a host-side element count.</summary>
internal sealed partial class DeviceSum : IDisposable
{
    Tensor? sum;
    double? restored;

    public long Count { get; private set; }

    /// <summary>Adds the sum of <paramref name="values"/> (already detached or not) and counts <paramref name="count"/> elements.</summary>
    public void Add(Tensor values, long count)
    {
        using var scope = torch.NewDisposeScope();
        var batch = values.detach().sum(ScalarType.Float64);
        if (sum is null)
        {
            sum = scope.Detach(batch);
            if (restored is { } value)
                sum.add_(value);
            restored = null;
        }
        else
            sum.add_(batch);
        Count += count;
    }

    /// <summary>The accumulated sum, read from the device; throws when nothing was added.</summary>
    public double Total(string metric)
    {
        if (sum is null && restored is { } value)
            return value;
        if (sum is null)
            throw new InvalidOperationException($"{metric}: Compute() needs at least one Update() since the last Reset().");
        return HostRead.ToDouble(sum);
    }

    public void Reset()
    {
        sum?.Dispose();
        sum = null;
        restored = null;
        Count = 0;
    }

    public void Dispose() => Reset();
}
