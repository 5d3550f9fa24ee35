namespace Pipelines.Generated;

/// <summary>
/// One command-line option as a generated <c>Hyperparameters.TryParse</c> declares it: built
/// from a <c>[Hyperparameter]</c> member at compile time (name, value kind, help text from the
/// member's XML doc summary, default from its initialiser), read at run time with no reflection.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class CommandLineOption
{
    /// <summary>Declares an option.</summary>
    /// <param name="name">The option as typed, with its dashes: <c>--learning-rate</c>.</param>
    /// <param name="property">The hyperparameter it sets (<c>LearningRate</c>).</param>
    /// <param name="valueName">What the value is, shown in the help: <c>double</c>, <c>int</c>, <c>text</c>.</param>
    /// <param name="description">The help text (the member's doc summary), or empty.</param>
    /// <param name="defaultText">The default as shown in the help, or null when the option is required.</param>
    /// <param name="isFlag">Whether it is a Boolean switch: <c>--name</c> alone means true, <c>--no-name</c> false.</param>
    /// <param name="allowedValues">The values an enum option accepts (case-insensitively), or null.</param>
    public CommandLineOption(string name, string property, string valueName, string description, string? defaultText,
        bool isFlag = false, IReadOnlyList<string>? allowedValues = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!name.StartsWith("--", StringComparison.Ordinal) || name.Length < 3)
            throw new ArgumentException($"An option name starts with \"--\" and has a name after it, not \"{name}\".", nameof(name));
        Name = name;
        Property = property ?? throw new ArgumentNullException(nameof(property));
        ValueName = valueName ?? throw new ArgumentNullException(nameof(valueName));
        Description = description ?? "";
        DefaultText = defaultText;
        IsFlag = isFlag;
        AllowedValues = allowedValues;
    }

    /// <summary>The option as typed, with its dashes: <c>--learning-rate</c>.</summary>
    public string Name { get; }

    /// <summary>The hyperparameter it sets.</summary>
    public string Property { get; }

    /// <summary>What the value is, shown in the help (<c>double</c>, <c>int</c>, <c>text</c>, ...).</summary>
    public string ValueName { get; }

    /// <summary>The help text: the hyperparameter's XML doc summary.</summary>
    public string Description { get; }

    /// <summary>The default as shown in the help; null when the option must be given.</summary>
    public string? DefaultText { get; }

    /// <summary>Whether the option must be given (its member has no constant initialiser).</summary>
    public bool IsRequired => DefaultText is null;

    /// <summary>A Boolean switch: <c>--name</c> alone sets true, <c>--no-name</c> false; <c>--name=false</c> works too.</summary>
    public bool IsFlag { get; }

    /// <summary>The accepted values of an enum option, or null.</summary>
    public IReadOnlyList<string>? AllowedValues { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
