using System.Globalization;

namespace Pipelines.Generated;

/// <summary>
/// The typed readers a generated command-line parser calls, one overload per value type (picked
/// at compile time): invariant culture, so <c>--learning-rate 0.001</c> means the same on every machine.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class CommandLineValues
{
    /// <summary>Reads an <see cref="int"/>.</summary>
    public static bool TryParse(string text, out int value) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    /// <summary>Reads a <see cref="long"/>.</summary>
    public static bool TryParse(string text, out long value) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    /// <summary>Reads a <see cref="short"/>.</summary>
    public static bool TryParse(string text, out short value) => short.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    /// <summary>Reads a <see cref="byte"/>.</summary>
    public static bool TryParse(string text, out byte value) => byte.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    /// <summary>Reads an <see cref="sbyte"/>.</summary>
    public static bool TryParse(string text, out sbyte value) => sbyte.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    /// <summary>Reads a <see cref="ushort"/>.</summary>
    public static bool TryParse(string text, out ushort value) => ushort.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    /// <summary>Reads a <see cref="uint"/>.</summary>
    public static bool TryParse(string text, out uint value) => uint.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    /// <summary>Reads a <see cref="ulong"/>.</summary>
    public static bool TryParse(string text, out ulong value) => ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    /// <summary>Reads a <see cref="double"/> (<c>1e-3</c>, <c>0.001</c>, <c>NaN</c>, <c>Infinity</c>).</summary>
    public static bool TryParse(string text, out double value) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>Reads a <see cref="float"/>.</summary>
    public static bool TryParse(string text, out float value) => float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>Reads a <see cref="decimal"/>.</summary>
    public static bool TryParse(string text, out decimal value) => decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>Reads a <see cref="bool"/>: <c>true</c>/<c>false</c>, <c>yes</c>/<c>no</c>, <c>1</c>/<c>0</c>, <c>on</c>/<c>off</c>, any case.</summary>
    public static bool TryParse(string text, out bool value)
    {
        switch (text.ToUpperInvariant())
        {
            case "TRUE" or "YES" or "1" or "ON":
                value = true;
                return true;
            case "FALSE" or "NO" or "0" or "OFF":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    /// <summary>Reads text: any value is valid.</summary>
    public static bool TryParse(string text, out string value)
    {
        value = text;
        return true;
    }
}
