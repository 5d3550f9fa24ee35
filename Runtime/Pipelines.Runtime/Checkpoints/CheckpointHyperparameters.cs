using System.Text.Json;

namespace Pipelines.Checkpoints;

/// <summary>
/// The hyperparameters a checkpoint records (<c>[Hyperparameter]</c> members: name to number,
/// integer, flag or string), in the order they were set. A resumed run can compare them with
/// its own through <see cref="Differences"/>; restoring never changes them.
/// </summary>
public sealed class CheckpointHyperparameters
{
    readonly List<string> names = [];
    readonly Dictionary<string, string> json = new(StringComparer.Ordinal);

    /// <summary>The names, in the order they were set.</summary>
    public IReadOnlyList<string> Names => names;

    /// <summary>The number of hyperparameters.</summary>
    public int Count => names.Count;

    /// <summary>Records a floating-point value (non-finite values are kept too).</summary>
    public void Set(string name, double value) => SetJson(name, JsonValues.Text(w => JsonValues.WriteDoubleValue(w, value)));

    /// <summary>Records an integer value.</summary>
    public void Set(string name, long value) => SetJson(name, JsonValues.Text(w => w.WriteNumberValue(value)));

    /// <summary>Records a flag.</summary>
    public void Set(string name, bool value) => SetJson(name, value ? "true" : "false");

    /// <summary>Records a string (an enum's name, a path); null is recorded as JSON null.</summary>
    public void Set(string name, string? value) => SetJson(name, JsonValues.Text(w =>
    {
        if (value is null)
            w.WriteNullValue();
        else
            w.WriteStringValue(value);
    }));

    void SetJson(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!json.ContainsKey(name))
            names.Add(name);
        json[name] = value;
    }

    /// <summary>
    /// Records every value of a generated <c>Hyperparameters</c> record, through its
    /// <see cref="IHyperparameters.WriteJson"/> (typed at compile time: no reflection).
    /// </summary>
    /// <exception cref="FormatException">When the record writes anything but one flat JSON object.</exception>
    public void SetAll(IHyperparameters hyperparameters)
    {
        ArgumentNullException.ThrowIfNull(hyperparameters);
        using var document = JsonDocument.Parse(JsonValues.Text(hyperparameters.WriteJson));
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw new FormatException("IHyperparameters.WriteJson must write one JSON object.");
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                throw new FormatException($"hyperparameter '{property.Name}' is a JSON {property.Value.ValueKind}, not a number, flag or string");
            SetJson(property.Name, property.Value.GetRawText());
        }
    }

    /// <summary>The value as JSON text (<c>0.001</c>, <c>true</c>, <c>"adam"</c>), or null when <paramref name="name"/> is not recorded.</summary>
    public string? GetJson(string name) => json.TryGetValue(name, out var value) ? value : null;

    /// <summary>Reads a number (or a non-finite value written by <see cref="Set(string, double)"/>).</summary>
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
    public IReadOnlyList<string> Differences(CheckpointHyperparameters current)
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

    internal void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        foreach (var name in names)
        {
            writer.WritePropertyName(name);
            writer.WriteRawValue(json[name], skipInputValidation: true);
        }
        writer.WriteEndObject();
    }

    internal static CheckpointHyperparameters Read(JsonElement element)
    {
        var result = new CheckpointHyperparameters();
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                throw new FormatException($"hyperparameter '{property.Name}' is a JSON {property.Value.ValueKind}, not a number, flag or string");
            result.SetJson(property.Name, property.Value.GetRawText());
        }
        return result;
    }
}
