using Pipelines.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Data;

/// <summary>
/// torchvision's <c>RandomHorizontalFlip(p)</c> for a whole batch [N, C, H, W]: each example is
/// mirrored left-right with probability <see cref="Probability"/>, all in one <c>gather</c> whose
/// column index is <c>j</c> or <c>W - 1 - j</c> per example. Draws come from (seed, epoch, batch
/// index), so they are reproducible.
/// </summary>
public sealed class RandomHorizontalFlip : IBatchTransform, IDisposable
{
    const ulong Stream = SplitMix64.Transform + 2;
    readonly long? seed;
    readonly HostIndexBuffer flipBuffer = new();
    Tensor? columns;
    Tensor? mirror;

    /// <summary>Flips each example with probability <paramref name="p"/>; <paramref name="seed"/> defaults to the loader's.</summary>
    public RandomHorizontalFlip(double p = 0.5, long? seed = null)
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, "The flip probability must be in [0, 1].");
        Probability = p;
        this.seed = seed;
    }

    /// <summary>The probability that an example is flipped.</summary>
    public double Probability { get; }

    /// <inheritdoc />
    public Batch Apply(Batch batch, in BatchContext context)
    {
        var x = batch.Input;
        if (x.ndim != 4)
            throw new ArgumentException($"RandomHorizontalFlip needs inputs shaped [N, C, H, W]; got {x.ndim} dimension(s).");
        var n = x.size(0);
        var width = x.size(3);
        var random = SplitMix64.For(seed ?? context.Seed, Stream, context.Epoch, context.Index);
        var flips = flipBuffer.Get((int)n);
        for (var i = 0; i < n; i++)
            flips[i] = random.NextDouble() < Probability ? 1 : 0;
        Prepare(width, x.device);
        // column[n, j] = j + flip[n] * (W - 1 - 2j): j when kept, W - 1 - j when mirrored.
        var index = (torch.tensor(flips, device: x.device).view(n, 1, 1, 1) * mirror! + columns!).expand(x.shape);
        return new Batch(x.gather(3, index), batch.Target);
    }

    void Prepare(long width, Device device)
    {
        if (columns is { } c && Devices.Same(c, device) && c.size(3) == width)
            return;
        Release();
        using var scope = torch.NewDisposeScope();
        var j = torch.arange(width, device: device).view(1, 1, 1, width);
        columns = scope.Detach(j);
        mirror = scope.Detach((width - 1) - j * 2);
    }

    void Release()
    {
        columns?.Dispose();
        mirror?.Dispose();
        columns = mirror = null;
    }

    /// <summary>Frees the cached index tensors.</summary>
    public void Dispose() => Release();
}
