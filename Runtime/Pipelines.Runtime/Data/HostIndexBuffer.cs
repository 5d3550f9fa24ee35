namespace Pipelines.Data;

/// <summary>
/// Reusable host arrays of an exact length, for per-batch random draws: a pass has at most two
/// batch sizes (the full one and a last, smaller one), so two slots mean no array per batch.
/// </summary>
internal sealed class HostIndexBuffer
{
    long[] first = [];
    long[] second = [];

    public long[] Get(int length)
    {
        if (first.Length == length)
            return first;
        if (second.Length == length)
            return second;
        (first, second) = (new long[length], first);
        return first;
    }
}
