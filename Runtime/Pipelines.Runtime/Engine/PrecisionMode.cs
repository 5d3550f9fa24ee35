using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines;

/// <summary>
/// A training precision by PyTorch Lightning's name (<c>Trainer(precision=...)</c>):
/// <c>32-true</c> trains in float32; <c>bf16-mixed</c> and <c>16-mixed</c> run the steps under
/// <see cref="Autocast"/> in bfloat16 or float16 with float32 parameters (float16 needs a loss
/// scaler as well). Lightning's <c>bf16-true</c>, a model cast to bfloat16 with no autocast, is
/// not one of them yet. Named <c>PrecisionMode</c> so as not to clash with the metric
/// <see cref="Metrics.Precision"/>.
/// </summary>
public sealed class PrecisionMode
{
    /// <summary><c>32-true</c>: float32 throughout, no autocast (the default).</summary>
    public static PrecisionMode Float32 { get; } = new("32-true", null);

    /// <summary><c>bf16-mixed</c>: steps under bfloat16 autocast, float32 parameters.</summary>
    public static PrecisionMode BFloat16Mixed { get; } = new("bf16-mixed", ScalarType.BFloat16);

    /// <summary><c>16-mixed</c>: steps under float16 autocast, float32 parameters, a loss scaler against gradient underflow.</summary>
    public static PrecisionMode Float16Mixed { get; } = new("16-mixed", ScalarType.Float16);

    /// <summary>Every mode, in the order of their names in help and error texts.</summary>
    public static IReadOnlyList<PrecisionMode> All { get; } = [Float32, BFloat16Mixed, Float16Mixed];

    PrecisionMode(string name, ScalarType? autocastDtype)
    {
        Name = name;
        AutocastDtype = autocastDtype;
    }

    /// <summary>Lightning's name, as <c>--precision</c> takes it.</summary>
    public string Name { get; }

    /// <summary>The dtype the steps run under autocast in, or null when they run without autocast.</summary>
    public ScalarType? AutocastDtype { get; }

    /// <summary>
    /// Enters this mode's autocast region for <paramref name="device"/> on the calling thread, or, for
    /// <c>32-true</c>, an empty region whose disposal does nothing. Allocates nothing.
    /// </summary>
    /// <param name="device">The device type whose operations are cast (<see cref="DeviceType.CPU"/> or <see cref="DeviceType.CUDA"/>).</param>
    /// <exception cref="ArgumentException">For a mixed mode on another device type.</exception>
    public AutocastRegion Enter(DeviceType device) => AutocastDtype is { } dtype ? Autocast.Enter(device, dtype) : default;

    /// <summary>The mode named <paramref name="name"/> (exact, as Lightning spells it).</summary>
    /// <exception cref="ArgumentException">For any other text; the message lists the names and, for Lightning's short aliases (<c>32</c>, <c>bf16</c>, <c>16</c>), the full name.</exception>
    public static PrecisionMode Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (TryParse(name, out var mode))
            return mode;
        throw new ArgumentException($"Unknown precision '{name}': {UnknownNameHint(name)}", nameof(name));
    }

    /// <summary>What to write instead of <paramref name="name"/>: the full name of a Lightning short alias, and the names.</summary>
    internal static string UnknownNameHint(string name)
    {
        var known = string.Join(", ", All.Select(m => m.Name));
        var alias = name switch
        {
            "32" or "fp32" => Float32,
            "bf16" => BFloat16Mixed,
            "16" or "fp16" => Float16Mixed,
            _ => null,
        };
        return alias is null ? $"use one of {known}." : $"did you mean '{alias.Name}'? Use one of {known}.";
    }

    /// <summary>Finds the mode named <paramref name="name"/> (exact, as Lightning spells it).</summary>
    public static bool TryParse(string? name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PrecisionMode? mode)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name, name, StringComparison.Ordinal))
            {
                mode = candidate;
                return true;
            }
        }
        mode = null;
        return false;
    }

    /// <summary>Lightning's name.</summary>
    public override string ToString() => Name;
}
