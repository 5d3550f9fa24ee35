using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines;

/// <summary>
/// An autocast region on the current thread, from <see cref="Autocast.Enter"/>; disposing it ends the
/// region. A <c>ref struct</c> because libtorch keeps the state per thread: the region cannot be
/// stored, boxed or held across an <c>await</c>. Disposing it twice, or disposing a default
/// instance, does nothing.
/// </summary>
public ref struct AutocastRegion
{
    readonly AutocastExports? exports;
    readonly DeviceType device;
    readonly ScalarType dtype;
    readonly bool wasEnabled;
    readonly ScalarType previousDtype;
    bool ended;

    internal AutocastRegion(AutocastExports exports, DeviceType device, ScalarType dtype, bool wasEnabled, ScalarType previousDtype)
    {
        this.exports = exports;
        this.device = device;
        this.dtype = dtype;
        this.wasEnabled = wasEnabled;
        this.previousDtype = previousDtype;
    }

    /// <summary>
    /// Restores the device's previous autocast state and dtype; when this was the thread's outermost
    /// region, first drops the cached low-precision copies of parameters (they would otherwise go
    /// stale after an optimizer step and hold memory), as <c>torch.autocast.__exit__</c> does, and
    /// when the restored dtype differs from this region's, drops them too (they are in this region's dtype).
    /// </summary>
    public void Dispose()
    {
        if (exports is null || ended)
            return;
        ended = true;
        if (exports.DecrementNesting() == 0 || previousDtype != dtype)
            exports.ClearCache();
        exports.SetEnabled(device, wasEnabled);
        exports.SetDtype(device, previousDtype);
    }
}
