namespace Pipelines.Generators.Model;

/// <summary>
/// A [Hyperparameter] member as a command-line option: its name (<c>--learning-rate</c>), the
/// value shown in the help, the doc summary, its default (null when the member has no constant
/// initialiser, which makes the option required), how its text is read, and whether it is a flag.
/// </summary>
internal sealed record OptionModel(string Name, string ValueName, string Description, OptionDefault? Default, OptionReading Reading, bool IsFlag);
