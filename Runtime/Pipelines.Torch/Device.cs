using System.Globalization;

namespace Pipelines.Torch;

/// <summary>A device a tensor lives on: <c>cpu</c> or <c>cuda:N</c>.</summary>
public readonly record struct Device(DeviceType type, int index = -1)
{
    /// <summary>The CPU.</summary>
    public static Device CPU { get; } = new(DeviceType.CPU);

    /// <summary>The current CUDA device.</summary>
    public static Device CUDA { get; } = new(DeviceType.CUDA);

    /// <summary>Parses <c>"cpu"</c>, <c>"cuda"</c> or <c>"cuda:N"</c>.</summary>
    public static Device Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().ToLowerInvariant().Split(':');
        var type = parts[0] switch
        {
            "cpu" => DeviceType.CPU,
            "cuda" => DeviceType.CUDA,
            _ => throw new FormatException($"Unknown device '{text}': expected 'cpu', 'cuda' or 'cuda:N'."),
        };
        if (parts.Length == 1)
            return new Device(type);
        if (parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return new Device(type, index);
        throw new FormatException($"Bad device index in '{text}': expected 'cuda:N' with N >= 0.");
    }

    /// <summary>The PyTorch spelling: <c>cpu</c>, <c>cuda</c>, <c>cuda:1</c>.</summary>
    public override string ToString()
    {
        var name = type == DeviceType.CPU ? "cpu" : "cuda";
        return index < 0 ? name : $"{name}:{index.ToString(CultureInfo.InvariantCulture)}";
    }
}
