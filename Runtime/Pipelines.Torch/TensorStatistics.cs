namespace Pipelines.Torch;

/// <summary>
/// Process-wide counts of native tensor handles, for tests and diagnostics that prove nothing
/// leaks: every handle created is released by Dispose, its dispose scope or, as a safety net,
/// its finalizer.
/// </summary>
public static class TensorStatistics
{
    static long created;
    static long released;

    /// <summary>Native tensor handles created so far.</summary>
    public static long Created => Interlocked.Read(ref created);

    /// <summary>Native tensor handles released so far.</summary>
    public static long Released => Interlocked.Read(ref released);

    /// <summary>Native tensor handles alive now.</summary>
    public static long Live => Created - Released;

    internal static void OnCreated() => Interlocked.Increment(ref created);

    internal static void OnReleased() => Interlocked.Increment(ref released);
}
