using Pipelines.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Data;

/// <summary>
/// The order of one pass over a dataset: the identity or a seeded permutation, as an array and,
/// on demand, as a tensor per device. Owned by a <see cref="BatchLoader"/>; redrawn only while no
/// batch is being built from it.
/// </summary>
internal sealed class PassOrder : IDisposable
{
    Tensor? tensor;

    public PassOrder(int length, bool shuffled)
    {
        Indexes = new long[length];
        Shuffled = shuffled;
        Reset();
    }

    public long[] Indexes { get; }

    public bool Shuffled { get; }

    void Reset()
    {
        for (var i = 0; i < Indexes.Length; i++)
            Indexes[i] = i;
    }

    /// <summary>Draws the permutation of pass <paramref name="epoch"/> (1-based) from <paramref name="seed"/>: the same pair always gives the same order.</summary>
    public void Draw(long seed, int epoch)
    {
        DropTensor();
        if (!Shuffled)
            return;
        Reset();
        var random = SplitMix64.For(seed, SplitMix64.Shuffle, epoch);
        for (var i = Indexes.Length - 1; i > 0; i--)
        {
            var j = random.NextInt(i + 1);
            (Indexes[i], Indexes[j]) = (Indexes[j], Indexes[i]);
        }
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
