namespace Pipelines;

/// <summary>One captured hyperparameter: its name, its declared type and its value.</summary>
/// <param name="Name">The property name in the generated record (the member's name, first letter upper-cased).</param>
/// <param name="Type">The member's declared type.</param>
/// <param name="Value">The value when the run started.</param>
public readonly record struct Hyperparameter(string Name, Type Type, object? Value);
