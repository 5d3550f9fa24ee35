using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines;

/// <summary>
/// A precision and the device type its autocast applies to, settled once per run or evaluation
/// pass: the generated loop enters <see cref="Enter"/> around each training, validation and test
/// step. <c>default</c> is <c>32-true</c> (an empty region). Allocates nothing per step.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public readonly struct AutocastSetting
{
    readonly PrecisionMode? precision;
    readonly DeviceType device;

    AutocastSetting(PrecisionMode precision, DeviceType device)
    {
        this.precision = precision;
        this.device = device;
    }

    /// <summary>The precision (<c>32-true</c> for <c>default</c>).</summary>
    public PrecisionMode Precision => precision ?? PrecisionMode.Float32;

    /// <summary>The device type whose operations are cast.</summary>
    public DeviceType Device => device;

    /// <summary>
    /// <paramref name="precision"/> for <paramref name="device"/>, checked now: a mixed mode enters and
    /// leaves one region, so that a device autocast does not cover or a missing libtorch export fails
    /// before the first batch, with the option that asked for autocast named.
    /// </summary>
    /// <exception cref="ArgumentException">For a mixed mode on a device type other than CPU or CUDA (the parameter is <c>Precision</c>).</exception>
    /// <exception cref="LibTorchLoadException">When libtorch lacks an autocast export.</exception>
    public static AutocastSetting For(PrecisionMode precision, DeviceType device)
    {
        ArgumentNullException.ThrowIfNull(precision);
        if (precision.AutocastDtype is null)
            return default;
        if (device is not (DeviceType.CPU or DeviceType.CUDA))
            throw new ArgumentException($"Precision {precision} runs under autocast on CPU or CUDA, not on {device}.", nameof(FitOptions.Precision));
        Probe(precision, device);
        return new AutocastSetting(precision, device);
    }

    static void Probe(PrecisionMode precision, DeviceType device)
    {
        using var region = precision.Enter(device);
    }

    /// <summary>
    /// <paramref name="precision"/> (<c>32-true</c> when null) for an evaluation outside <c>Fit</c>: the
    /// device type is that of the first parameter of <paramref name="models"/> (where <c>Fit</c> or the
    /// caller placed them; the CPU when they have none). Called once per pass.
    /// </summary>
    /// <param name="precision">The precision of the pass.</param>
    /// <param name="models">The pipeline's [Model] members.</param>
    public static AutocastSetting ForModels(PrecisionMode? precision, params nn.Module[] models)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (precision?.AutocastDtype is null)
            return default;
        foreach (var model in models)
        {
            foreach (var parameter in model.parameters())
                return For(precision, parameter.device_type);
        }
        return For(precision, DeviceType.CPU);
    }

    /// <summary>Enters the region (an empty one for <c>32-true</c>).</summary>
    public AutocastRegion Enter() => precision is null ? default : precision.Enter(device);
}
