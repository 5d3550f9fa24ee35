namespace Pipelines.Data;

/// <summary>
/// A tiny seeded generator (Steele, Lea and Flood's SplitMix64). Chosen over <see cref="Random"/>
/// because its whole state is one number derived from (seed, purpose, pass, batch): a loader or a
/// transform can be resumed from a checkpoint, or run on another thread, and still draw exactly
/// the same values, with no hidden generator state to save.
/// </summary>
internal struct SplitMix64
{
    /// <summary>The stream of a loader's shuffling.</summary>
    public const ulong Shuffle = 0x5348_5546;

    /// <summary>The stream of a random transform.</summary>
    public const ulong Transform = 0x5452_4E53;

    /// <summary>The stream that gives a data-parallel rank its own seed for random transforms.</summary>
    public const ulong Rank = 0x5241_4E4B;

    ulong state;

    public SplitMix64(ulong seed) => state = seed;

    /// <summary>A generator for one (seed, purpose, pass, batch) tuple.</summary>
    public static SplitMix64 For(long seed, ulong purpose, int epoch, int batch = 0)
    {
        var h = Mix((ulong)seed ^ 0x9E37_79B9_7F4A_7C15);
        h = Mix(h ^ purpose);
        h = Mix(h ^ (uint)epoch);
        h = Mix(h ^ ((ulong)(uint)batch << 32));
        return new SplitMix64(h);
    }

    static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB;
        return z ^ (z >> 31);
    }

    public ulong Next()
    {
        state += 0x9E37_79B9_7F4A_7C15;
        return Mix(state);
    }

    /// <summary>A value in [0, <paramref name="bound"/>) (Lemire's multiply-shift; the bias is below 2^-32 for the bounds used here).</summary>
    public int NextInt(int bound) => (int)(((Next() >> 32) * (ulong)bound) >> 32);

    /// <summary>A value in [0, 1).</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));
}
