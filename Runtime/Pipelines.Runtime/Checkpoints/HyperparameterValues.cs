using System.Globalization;
using System.Text.Json;

namespace Pipelines.Checkpoints;

/// <summary>
/// A run's hyperparameters as they are recorded: name to number, flag, string or null, in the
/// order they were set. The generated <c>Hyperparameters.ToValues()</c> fills one (a typed
/// <see cref="Set(string, double)"/> overload per member, chosen at compile time: no reflection);
/// checkpoints, <c>hparams.json</c> and TensorBoard's hparams plugin record the same values, and a
/// resumed run compares its own with a checkpoint's through <see cref="Differences"/>. Non-finite
/// floating-point values, which JSON cannot hold, are recorded as the strings <c>"NaN"</c>,
/// <c>"Infinity"</c> and <c>"-Infinity"</c>.
/// </summary>
public sealed class HyperparameterValues
{
    readonly List<string> names = [];
    readonly Dictionary<string, string> json = new(StringComparer.Ordinal);

    /// <summary>The names, in the order they were set.</summary>
    public IReadOnlyList<string> Names => names;

    /// <summary>The number of hyperparameters.</summary>
    public int Count => names.Count;

    /// <summary>Records a floating-point value.</summary>
    public void Set(string name, double value) => SetJson(name, JsonValues.Text(w => JsonValues.WriteDoubleValue(w, value)));

    /// <summary>Records a single-precision value (written with its own shortest digits: 0.1f is 0.1).</summary>
    public void Set(string name, float value) => SetJson(name, JsonValues.Text(w =>
    {
        if (float.IsFinite(value))
            w.WriteNumberValue(value);
        else
            JsonValues.WriteDoubleValue(w, value);
    }));

    /// <summary>Records a decimal value.</summary>
    public void Set(string name, decimal value) => SetJson(name, JsonValues.Text(w => w.WriteNumberValue(value)));

    /// <summary>Records an integer value.</summary>
    public void Set(string name, long value) => SetJson(name, JsonValues.Text(w => w.WriteNumberValue(value)));

    /// <summary>Records an unsigned integer value.</summary>
    public void Set(string name, ulong value) => SetJson(name, JsonValues.Text(w => w.WriteNumberValue(value)));

    /// <summary>Records a flag.</summary>
    public void Set(string name, bool value) => SetJson(name, value ? "true" : "false");

    /// <summary>Records a string (an enum's name, a path); null is recorded as null.</summary>
    public void Set(string name, string? value) => SetJson(name, value is null ? "null" : JsonValues.Text(w => w.WriteStringValue(value)));

    /// <summary>Records an optional floating-point value (null as null).</summary>
    public void Set(string name, double? value)
    {
        if (value is { } v)
            Set(name, v);
        else
            SetJson(name, "null");
    }

    /// <summary>Records an optional integer value (null as null).</summary>
    public void Set(string name, long? value)
    {
        if (value is { } v)
            Set(name, v);
        else
            SetJson(name, "null");
    }

    /// <summary>Records an optional flag (null as null).</summary>
    public void Set(string name, bool? value)
    {
        if (value is { } v)
            Set(name, v);
        else
            SetJson(name, "null");
    }

    /// <summary>Records any other value (an enum, a <see cref="TimeSpan"/>, ...) as its invariant-culture text; null as null.</summary>
    public void SetText<T>(string name, T value) => Set(name, value switch
    {
        null => null,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    });

    void SetJson(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!json.ContainsKey(name))
            names.Add(name);
        json[name] = value;
    }

    /// <summary>The value as JSON text (<c>0.001</c>, <c>true</c>, <c>"adam"</c>, <c>null</c>), or null when <paramref name="name"/> is not recorded.</summary>
    public string? GetJson(string name) => json.TryGetValue(name, out var value) ? value : null;

    /// <summary>Reads a number (or a non-finite value, recorded as its string).</summary>
    public bool TryGetDouble(string name, out double value)
    {
        value = 0;
        if (GetJson(name) is not { } text)
            return false;
        using var document = JsonDocument.Parse(text);
        return JsonValues.TryReadDouble(document.RootElement, out value);
    }

    /// <summary>Reads an integer.</summary>
    public bool TryGetInt64(string name, out long value)
    {
        value = 0;
        if (GetJson(name) is not { } text)
            return false;
        using var document = JsonDocument.Parse(text);
        return document.RootElement.ValueKind == JsonValueKind.Number && document.RootElement.TryGetInt64(out value);
    }

    /// <summary>Reads a flag.</summary>
    public bool TryGetBoolean(string name, out bool value)
    {
        value = false;
        switch (GetJson(name))
        {
            case "true": value = true; return true;
            case "false": return true;
            default: return false;
        }
    }

    /// <summary>Reads a string (null for a recorded null).</summary>
    public bool TryGetString(string name, out string? value)
    {
        value = null;
        if (GetJson(name) is not { } text)
            return false;
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Null)
            return true;
        if (root.ValueKind != JsonValueKind.String)
            return false;
        value = root.GetString();
        return true;
    }

    /// <summary>
    /// One line per hyperparameter that differs between this set (the checkpoint's) and
    /// <paramref name="current"/>, or is in only one of them: what a resumed run should report.
    /// </summary>
    public IReadOnlyList<string> Differences(HyperparameterValues current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var result = new List<string>();
        foreach (var name in names)
        {
            var other = current.GetJson(name);
            if (other is null)
                result.Add($"{name}: {json[name]} in the checkpoint, not set now");
            else if (other != json[name])
                result.Add($"{name}: {json[name]} in the checkpoint, {other} now");
        }
        foreach (var name in current.names)
            if (!json.ContainsKey(name))
                result.Add($"{name}: not in the checkpoint, {current.json[name]} now");
        return result;
    }

    /// <summary>Writes the values as one JSON object, <c>{"LearningRate":0.001,...}</c>, in the order they were set.</summary>
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        foreach (var name in names)
        {
            writer.WritePropertyName(name);
            writer.WriteRawValue(json[name], skipInputValidation: true);
        }
        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes the values as indented JSON to <paramref name="path"/> (<c>hparams.json</c>): whole or
    /// not at all, through a temporary file that is then renamed. Returns the path.
    /// </summary>
    public string WriteFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            WriteJson(writer);
            writer.Flush();
            stream.WriteByte((byte)'\n');
        }
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    internal static HyperparameterValues Read(JsonElement element)
    {
        var result = new HyperparameterValues();
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                throw new FormatException($"hyperparameter '{property.Name}' is a JSON {property.Value.ValueKind}, not a number, flag or string");
            result.SetJson(property.Name, property.Value.GetRawText());
        }
        return result;
    }
}
