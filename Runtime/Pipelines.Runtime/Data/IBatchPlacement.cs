using static TorchSharp.torch;

namespace Pipelines.Data;

/// <summary>
/// A batch source that moves its batches to a device (as <see cref="BatchLoader"/> does): the
/// generated <c>Fit</c>, <c>Validate</c> and <c>Test</c> give it the device they placed the models
/// on, so a program writes the device once, in <see cref="FitOptions.Device"/>.
/// </summary>
public interface IBatchPlacement
{
    /// <summary>
    /// Delivers the next batches on <paramref name="device"/>, unless the source was given a device
    /// of its own, which wins.
    /// </summary>
    void PlaceBatchesOn(Device device);
}
