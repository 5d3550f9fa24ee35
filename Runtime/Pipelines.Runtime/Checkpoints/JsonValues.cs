using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Pipelines.Checkpoints;

/// <summary>
/// JSON helpers shared by the checkpoint sections. JSON has no NaN or infinity, yet a best score
/// starts at +inf and a diverged loss is NaN, so non-finite doubles are written as the strings
/// <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c> (what Python's <c>json</c> reads with
/// <c>float(s)</c>) and read back from them.
/// </summary>
internal static class JsonValues
{
    internal static void WriteDouble(Utf8JsonWriter writer, string name, double value)
    {
        writer.WritePropertyName(name);
        WriteDoubleValue(writer, value);
    }

    internal static void WriteDoubleValue(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
            writer.WriteNumberValue(value);
        else
            writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }

    internal static bool TryReadDouble(JsonElement element, out double value)
    {
        value = 0;
        if (element.ValueKind == JsonValueKind.Number)
            return element.TryGetDouble(out value);
        if (element.ValueKind != JsonValueKind.String)
            return false;
        switch (element.GetString())
        {
            case "NaN": value = double.NaN; return true;
            case "Infinity": value = double.PositiveInfinity; return true;
            case "-Infinity": value = double.NegativeInfinity; return true;
            default: return false;
        }
    }

    /// <summary>Writes one JSON value with <paramref name="write"/> and returns its text.</summary>
    internal static string Text(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            write(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    internal static string Describe(JsonElement element)
    {
        var text = element.GetRawText();
        return text.Length <= 60 ? text : string.Create(CultureInfo.InvariantCulture, $"{text[..57]}...");
    }
}
