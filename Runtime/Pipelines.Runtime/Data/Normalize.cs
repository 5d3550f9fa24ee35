using Pipelines.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Data;

/// <summary>
/// Normalizes each channel of the inputs, <c>(x - mean[c]) / std[c]</c> (torchvision's
/// <c>Normalize</c>), for inputs shaped [N, C, ...]. The mean and std tensors are made once per
/// device and dtype, so a batch costs two tensor operations.
/// </summary>
public sealed class Normalize : IBatchTransform, IDisposable
{
    readonly double[] mean;
    readonly double[] std;
    Tensor? meanTensor;
    Tensor? stdTensor;
    long cachedRank;

    /// <summary>Per-channel <paramref name="mean"/> and <paramref name="std"/> (one value each applies to every channel).</summary>
    /// <exception cref="ArgumentException">When the lengths differ or are zero, or a std is not positive.</exception>
    public Normalize(double[] mean, double[] std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Length == 0 || mean.Length != std.Length)
            throw new ArgumentException($"Normalize needs as many means as stds, at least one: got {mean.Length} and {std.Length}.");
        foreach (var s in std)
            if (!(s > 0) || double.IsInfinity(s))
                throw new ArgumentException($"Normalize: every std must be positive and finite; got {s}.", nameof(std));
        this.mean = (double[])mean.Clone();
        this.std = (double[])std.Clone();
    }

    /// <summary>One mean and std for every channel.</summary>
    public Normalize(double mean, double std) : this([mean], [std]) { }

    /// <inheritdoc />
    public Batch Apply(Batch batch, in BatchContext context)
    {
        var x = batch.Input;
        if (x.ndim < 2)
            throw new ArgumentException($"Normalize needs inputs shaped [N, C, ...]; got {x.ndim} dimension(s).");
        var channels = x.size(1);
        if (mean.Length != 1 && mean.Length != channels)
            throw new ArgumentException($"Normalize has {mean.Length} means but the inputs have {channels} channels.");
        Prepare(x);
        return new Batch((x - meanTensor!) / stdTensor!, batch.Target);
    }

    void Prepare(Tensor x)
    {
        // Integer images are normalized in float32, so the cached constants are float32 for them.
        var dtype = IsFloating(x.dtype) ? x.dtype : ScalarType.Float32;
        if (meanTensor is { } m && Devices.Same(m, x) && m.dtype == dtype && cachedRank == x.ndim)
            return;
        Release();
        // [1, C, 1, 1, ...]: broadcasts over the batch and the trailing dimensions.
        var shape = new long[x.ndim];
        Array.Fill(shape, 1L);
        shape[1] = mean.Length;
        using var scope = torch.NewDisposeScope();
        meanTensor = scope.Detach(torch.tensor(mean, shape, dtype, x.device));
        stdTensor = scope.Detach(torch.tensor(std, shape, dtype, x.device));
        cachedRank = x.ndim;
    }

    static bool IsFloating(ScalarType t) => t is ScalarType.Float32 or ScalarType.Float64 or ScalarType.Float16 or ScalarType.BFloat16;

    void Release()
    {
        meanTensor?.Dispose();
        stdTensor?.Dispose();
        meanTensor = stdTensor = null;
    }

    /// <summary>Frees the cached mean and std tensors.</summary>
    public void Dispose() => Release();
}
