namespace Pipelines.Generators.Model;

/// <summary>An option's default: the member's constant initialiser as a C# expression, and as the help shows it.</summary>
internal sealed record OptionDefault(string Expression, string Text);
