using System.Globalization;

namespace Pipelines.Logging;

/// <summary>A hyperparameter's value as TensorBoard's hparams plugin stores it: a number, a string or a bool.</summary>
public readonly struct HyperparameterValue : IEquatable<HyperparameterValue>
{
    readonly double number;
    readonly string? text;
    readonly bool flag;

    HyperparameterValue(HyperparameterKind kind, double number, string? text, bool flag)
    {
        Kind = kind;
        this.number = number;
        this.text = text;
        this.flag = flag;
    }

    /// <summary>Which of the three the value is.</summary>
    public HyperparameterKind Kind { get; }

    /// <summary>The number (Kind is Number).</summary>
    public double Number => Kind == HyperparameterKind.Number ? number : throw new InvalidOperationException($"This hyperparameter is a {Kind}, not a number.");

    /// <summary>The string (Kind is Text).</summary>
    public string Text => Kind == HyperparameterKind.Text ? text! : throw new InvalidOperationException($"This hyperparameter is a {Kind}, not text.");

    /// <summary>The bool (Kind is Bool).</summary>
    public bool Bool => Kind == HyperparameterKind.Bool ? flag : throw new InvalidOperationException($"This hyperparameter is a {Kind}, not a bool.");

    /// <summary>A captured hyperparameter's value: a number, a bool, or text (anything else, by its invariant string; null as <c>none</c>).</summary>
    public static HyperparameterValue Of(object? value) => value switch
    {
        null => "none",
        bool flag => flag,
        byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>A number.</summary>
    public static implicit operator HyperparameterValue(double value) => new(HyperparameterKind.Number, value, null, false);

    /// <summary>A string.</summary>
    public static implicit operator HyperparameterValue(string value) => new(HyperparameterKind.Text, 0, value ?? throw new ArgumentNullException(nameof(value)), false);

    /// <summary>A bool.</summary>
    public static implicit operator HyperparameterValue(bool value) => new(HyperparameterKind.Bool, 0, null, value);

    /// <summary>The value as text (invariant culture).</summary>
    public override string ToString() => Kind switch
    {
        HyperparameterKind.Number => number.ToString("R", CultureInfo.InvariantCulture),
        HyperparameterKind.Text => text!,
        _ => flag ? "true" : "false",
    };

    /// <inheritdoc />
    public bool Equals(HyperparameterValue other) => Kind == other.Kind && number.Equals(other.number) && text == other.text && flag == other.flag;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is HyperparameterValue other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, number, text, flag);

    /// <summary>Value equality.</summary>
    public static bool operator ==(HyperparameterValue left, HyperparameterValue right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(HyperparameterValue left, HyperparameterValue right) => !left.Equals(right);
}
