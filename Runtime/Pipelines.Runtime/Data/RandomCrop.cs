using Pipelines.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Data;

/// <summary>
/// torchvision's <c>RandomCrop(size, padding)</c> for a whole batch [N, C, H, W] at once: zero
/// padding, then one window per example at a random offset, taken with two <c>gather</c>s over
/// index tensors (no per-example tensor operation). The offsets come from
/// (seed, epoch, batch index), so a batch is cropped the same way in every run with that seed.
/// </summary>
public sealed class RandomCrop : IBatchTransform, IDisposable
{
    const ulong Stream = SplitMix64.Transform + 1;
    readonly long? seed;
    readonly HostIndexBuffer rowBuffer = new();
    readonly HostIndexBuffer columnBuffer = new();
    Tensor? rowRange;
    Tensor? columnRange;

    /// <summary>Crops <paramref name="height"/> x <paramref name="width"/> windows after padding every side by <paramref name="padding"/>.</summary>
    /// <param name="height">The crop's height.</param>
    /// <param name="width">The crop's width.</param>
    /// <param name="padding">Zeros added on each side first (4 for the classic 32x32 CIFAR recipe, 2 or so for 28x28 images).</param>
    /// <param name="seed">The seed of the offsets; the loader's seed when null.</param>
    public RandomCrop(int height, int width, int padding = 0, long? seed = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        Height = height;
        Width = width;
        Padding = padding;
        this.seed = seed;
    }

    /// <summary>Square crops of <paramref name="size"/> after padding by <paramref name="padding"/>.</summary>
    public RandomCrop(int size, int padding = 0, long? seed = null) : this(size, size, padding, seed) { }

    /// <summary>The crop's height.</summary>
    public int Height { get; }

    /// <summary>The crop's width.</summary>
    public int Width { get; }

    /// <summary>The zero padding added to each side before cropping.</summary>
    public int Padding { get; }

    /// <inheritdoc />
    public Batch Apply(Batch batch, in BatchContext context)
    {
        var x = batch.Input;
        if (x.ndim != 4)
            throw new ArgumentException($"RandomCrop needs inputs shaped [N, C, H, W]; got {x.ndim} dimension(s).");
        var n = x.size(0);
        var c = x.size(1);
        var paddedHeight = x.size(2) + 2L * Padding;
        var paddedWidth = x.size(3) + 2L * Padding;
        if (Height > paddedHeight || Width > paddedWidth)
            throw new ArgumentException($"RandomCrop: a {Height}x{Width} crop does not fit {x.size(2)}x{x.size(3)} inputs padded by {Padding}.");
        var random = SplitMix64.For(seed ?? context.Seed, Stream, context.Epoch, context.Index);
        var rows = rowBuffer.Get((int)n);
        var columns = columnBuffer.Get((int)n);
        for (var i = 0; i < n; i++)
        {
            rows[i] = random.NextInt((int)(paddedHeight - Height + 1));
            columns[i] = random.NextInt((int)(paddedWidth - Width + 1));
        }
        var device = x.device;
        Prepare(device);
        var padded = Padding > 0 ? torch.nn.functional.pad(x, [Padding, Padding, Padding, Padding]) : x;
        // index[n, c, i, j] = offset[n] + i (rows), then + j (columns): one gather per axis.
        var rowIndex = (torch.tensor(rows, device: device).view(n, 1, 1, 1) + rowRange!).expand(n, c, Height, paddedWidth);
        var band = padded.gather(2, rowIndex);
        var columnIndex = (torch.tensor(columns, device: device).view(n, 1, 1, 1) + columnRange!).expand(n, c, Height, Width);
        return new Batch(band.gather(3, columnIndex), batch.Target);
    }

    void Prepare(Device device)
    {
        if (rowRange is { } r && Devices.Same(r, device))
            return;
        Release();
        using var scope = torch.NewDisposeScope();
        rowRange = scope.Detach(torch.arange(Height, device: device).view(1, 1, Height, 1));
        columnRange = scope.Detach(torch.arange(Width, device: device).view(1, 1, 1, Width));
    }

    void Release()
    {
        rowRange?.Dispose();
        columnRange?.Dispose();
        rowRange = columnRange = null;
    }

    /// <summary>Frees the cached index ranges.</summary>
    public void Dispose() => Release();
}
