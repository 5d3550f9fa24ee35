using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Core;

/// <summary>
/// Device comparisons. TorchSharp's <see cref="Device"/> has no value equality (<c>==</c> compares
/// references, so two tensors on the same device compare unequal) and <c>tensor.device</c>
/// allocates a new object per call; these compare the type and index, allocating nothing.
/// </summary>
internal static class Devices
{
    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> live on the same device.</summary>
    public static bool Same(Tensor a, Tensor b) => a.device_type == b.device_type && a.device_index == b.device_index;

    /// <summary>Whether <paramref name="tensor"/> lives on <paramref name="device"/> (an index of -1 means the current CUDA device, taken as 0).</summary>
    public static bool Same(Tensor tensor, Device device) =>
        tensor.device_type == device.type && tensor.device_index == Index(device);

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> name the same device.</summary>
    public static bool Same(Device a, Device b) => a.type == b.type && Index(a) == Index(b);

    static long Index(Device device) => device.index < 0 && device.type != DeviceType.CPU ? 0 : device.index;
}
