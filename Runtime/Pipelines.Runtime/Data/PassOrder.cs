using Pipelines.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Data;

/// <summary>
/// The order of one pass over a dataset, as this loader's shard sees it: the identity or a seeded
/// permutation of the whole dataset, then (for several ranks) padded by repeating its head or cut
/// to a multiple of the world size and strided by rank. As an array and, on demand, as a tensor per
/// device. Owned by a <see cref="BatchLoader"/>; redrawn only while no batch is being built from it.
/// </summary>
internal sealed class PassOrder : IDisposable
{
    // The whole dataset's order before sharding; Indexes itself for a single rank, so that one rank's order is unchanged by sharding.
    readonly long[] permutation;
    readonly DataShard shard;
    readonly bool shuffled;
    Tensor? tensor;

    public PassOrder(int length, bool shuffled, DataShard shard, bool dropLast)
    {
        this.shard = shard;
        this.shuffled = shuffled;
        permutation = new long[length];
        Indexes = shard.WorldSize == 1 ? permutation : new long[ShardLength(length, shard.WorldSize, dropLast)];
        Reset();
        TakeShard();
    }

    /// <summary>This rank's examples of the pass, in order.</summary>
    public long[] Indexes { get; }

    /// <summary>Whether <see cref="Indexes"/> is 0, 1, 2, ... (no shuffling, one rank).</summary>
    public bool Sequential => !shuffled && shard.WorldSize == 1;

    /// <summary>Examples per rank and pass: the dataset divided among the ranks, rounded up (padding) or down (<paramref name="dropLast"/>).</summary>
    static int ShardLength(int length, int worldSize, bool dropLast) =>
        (int)(dropLast ? length / worldSize : ((long)length + worldSize - 1) / worldSize);

    void Reset()
    {
        for (var i = 0; i < permutation.Length; i++)
            permutation[i] = i;
    }

    /// <summary>Rank r's positions r, r + n, ... of the permutation; a position past its end wraps to the head (the padding).</summary>
    void TakeShard()
    {
        if (Indexes == permutation)
            return;
        long position = shard.Rank;
        for (var k = 0; k < Indexes.Length; k++, position += shard.WorldSize)
            Indexes[k] = permutation[position % permutation.Length];
    }

    /// <summary>Draws the permutation of pass <paramref name="epoch"/> (1-based) from <paramref name="seed"/>: the same pair always gives the same order, on every rank.</summary>
    public void Draw(long seed, int epoch)
    {
        DropTensor();
        if (!shuffled)
            return;
        Reset();
        var random = SplitMix64.For(seed, SplitMix64.Shuffle, epoch);
        for (var i = permutation.Length - 1; i > 0; i--)
        {
            var j = random.NextInt(i + 1);
            (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
        }
        TakeShard();
    }

    public Tensor Tensor(Device device)
    {
        if (tensor is { } t && Devices.Same(t, device))
            return t;
        DropTensor();
        // Out of every dispose scope: it lives for the whole pass, across the caller's batch scopes.
        using var scope = torch.NewDisposeScope();
        tensor = scope.Detach(torch.tensor(Indexes, device: device));
        return tensor;
    }

    void DropTensor()
    {
        tensor?.Dispose();
        tensor = null;
    }

    public void Dispose() => DropTensor();
}
