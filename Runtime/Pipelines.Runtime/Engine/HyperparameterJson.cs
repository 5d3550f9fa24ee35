using System.Globalization;
using System.Text.Json;

namespace Pipelines;

/// <summary>
/// Writes one hyperparameter as a JSON property; the generated <see cref="IHyperparameters.WriteJson"/>
/// calls <c>Write</c> for numbers, Booleans and strings (the overload chosen at compile time, no
/// reflection) and <see cref="WriteText{T}"/> for every other type. Numbers stay numbers (non-finite
/// floats, which JSON cannot hold, become strings such as "NaN").
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class HyperparameterJson
{
    /// <summary>Writes an integer.</summary>
    public static void Write(Utf8JsonWriter writer, string name, long value) => Checked(writer).WriteNumber(name, value);

    /// <summary>Writes an unsigned integer.</summary>
    public static void Write(Utf8JsonWriter writer, string name, ulong value) => Checked(writer).WriteNumber(name, value);

    /// <summary>Writes a decimal.</summary>
    public static void Write(Utf8JsonWriter writer, string name, decimal value) => Checked(writer).WriteNumber(name, value);

    /// <summary>Writes a double (a string when not finite).</summary>
    public static void Write(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
            Checked(writer).WriteNumber(name, value);
        else
            Checked(writer).WriteString(name, value.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Writes a float (a string when not finite).</summary>
    public static void Write(Utf8JsonWriter writer, string name, float value)
    {
        if (float.IsFinite(value))
            Checked(writer).WriteNumber(name, value);
        else
            Checked(writer).WriteString(name, value.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Writes a Boolean.</summary>
    public static void Write(Utf8JsonWriter writer, string name, bool value) => Checked(writer).WriteBoolean(name, value);

    /// <summary>Writes a string (null as JSON null).</summary>
    public static void Write(Utf8JsonWriter writer, string name, string? value) => Checked(writer).WriteString(name, value);

    /// <summary>Writes an optional integer.</summary>
    public static void Write(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } v)
            Write(writer, name, v);
        else
            Checked(writer).WriteNull(name);
    }

    /// <summary>Writes an optional double.</summary>
    public static void Write(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v)
            Write(writer, name, v);
        else
            Checked(writer).WriteNull(name);
    }

    /// <summary>Writes an optional Boolean.</summary>
    public static void Write(Utf8JsonWriter writer, string name, bool? value)
    {
        if (value is { } v)
            Write(writer, name, v);
        else
            Checked(writer).WriteNull(name);
    }

    /// <summary>Writes any other value (an enum, a <see cref="TimeSpan"/>, ...) as its invariant-culture text; null as JSON null.</summary>
    public static void WriteText<T>(Utf8JsonWriter writer, string name, T value)
    {
        var text = value switch
        {
            null => null,
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        Checked(writer).WriteString(name, text);
    }

    static Utf8JsonWriter Checked(Utf8JsonWriter writer) => writer ?? throw new ArgumentNullException(nameof(writer));
}
