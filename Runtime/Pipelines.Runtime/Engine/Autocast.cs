using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines;

/// <summary>
/// PyTorch's <c>torch.autocast</c> for TorchSharp, which has none: inside a region, libtorch runs
/// the operations that gain from it (linear layers, convolutions, matrix products) in a lower
/// precision on one device type and keeps the ones that need range (losses, softmax, reductions) in
/// float32; parameters, and so their gradients and the optimizer's state, stay float32. The state
/// is libtorch's and is per thread, which is why a region is a <c>ref struct</c>: it cannot cross
/// an <c>await</c> and end on another thread. Used as
/// <c>using (Autocast.Enter(DeviceType.CUDA, ScalarType.BFloat16)) { loss = step(batch); }</c>,
/// backward outside the region as in PyTorch.
/// </summary>
public static class Autocast
{
    /// <summary>
    /// Turns autocast on for <paramref name="device"/> in <paramref name="dtype"/> on this thread
    /// until the returned region is disposed, which restores the previous state for that device
    /// (regions nest) and, when the outermost region of the thread ends, drops the cached
    /// low-precision copies of parameters, so the next region sees the optimizer's updates. A region
    /// whose dtype differs from the one in force drops them on entry and exit too (libtorch's cache
    /// does not tell dtypes apart; PyTorch's own nested regions share that flaw).
    /// The first call resolves libtorch's exports. Allocates nothing.
    /// </summary>
    /// <param name="device"><see cref="DeviceType.CPU"/> or <see cref="DeviceType.CUDA"/>: the device type whose operations are cast.</param>
    /// <param name="dtype"><see cref="ScalarType.BFloat16"/> or <see cref="ScalarType.Float16"/>.</param>
    /// <exception cref="ArgumentException">For another device type or dtype.</exception>
    /// <exception cref="InvalidOperationException">For CUDA when this libtorch or machine has no CUDA device.</exception>
    /// <exception cref="LibTorchLoadException">When libtorch lacks one of the autocast functions; the message names it and libtorch's version.</exception>
    public static AutocastRegion Enter(DeviceType device, ScalarType dtype)
    {
        if (device is not (DeviceType.CPU or DeviceType.CUDA))
            throw new ArgumentException($"Autocast runs on CPU or CUDA, not {device}.", nameof(device));
        if (dtype is not (ScalarType.BFloat16 or ScalarType.Float16))
            throw new ArgumentException($"Autocast casts to BFloat16 or Float16, not {dtype}.", nameof(dtype));
        if (device == DeviceType.CUDA && !torch.cuda.is_available())
            throw new InvalidOperationException("A CUDA autocast region needs a CUDA device; this libtorch or machine has none.");
        var exports = AutocastExports.Get();
        var previousDtype = exports.GetDtype(device);
        var region = new AutocastRegion(exports, device, dtype, exports.IsEnabled(device), previousDtype);
        // libtorch looks cached casts up by parameter only, not by dtype: an outer region's bf16
        // copy would reach this region's fp16 operations ("self and mat2 must have the same dtype").
        if (previousDtype != dtype)
            exports.ClearCache();
        exports.SetEnabled(device, true);
        exports.SetDtype(device, dtype);
        exports.IncrementNesting();
        return region;
    }

    /// <summary>Whether autocast is on for <paramref name="device"/> on this thread.</summary>
    public static bool IsEnabled(DeviceType device) => AutocastExports.Get().IsEnabled(device);

    /// <summary>The dtype autocast casts to on <paramref name="device"/> on this thread (libtorch's defaults: BFloat16 on CPU, Float16 on CUDA).</summary>
    public static ScalarType Dtype(DeviceType device) => AutocastExports.Get().GetDtype(device);
}
