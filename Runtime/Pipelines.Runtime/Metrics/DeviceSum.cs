using Pipelines.Core;
using Pipelines.Distributed;
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

    /// <summary>
    /// The mean, <see cref="Total"/> / <see cref="Count"/>. In a data-parallel run
    /// (<see cref="ProcessGroup.MetricWorld"/>) the sum and the count are first summed over every
    /// rank, in one all-reduce of two host doubles, so the value is that of the whole dataset; every
    /// rank must then call it, and a rank that saw no example adds nothing.
    /// </summary>
    public double Mean(string metric)
    {
        if (ProcessGroup.MetricWorld is not { } world)
            return Total(metric) / Count;
        double[] pair = [sum is null && restored is null ? 0 : Total(metric), Count];
        world.SumOverRanks(pair);
        if (pair[1] == 0)
            throw new InvalidOperationException($"{metric}: Compute() needs at least one Update() since the last Reset(), on some rank.");
        return pair[0] / pair[1];
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
