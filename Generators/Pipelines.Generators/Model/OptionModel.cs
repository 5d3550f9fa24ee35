using Pipelines.Rules;

namespace Pipelines.Generators.Model;

/// <summary>
/// A [Hyperparameter] member as a command-line option: its name (<c>--learning-rate</c>), the
/// value shown in the help, the doc summary, its default (a C# expression and its help text; null
/// when the member has no constant initialiser, which makes the option required), how the text
/// is read, the type read (without <c>?</c>), whether <c>none</c> means null, and an enum's members.
/// </summary>
internal sealed record OptionModel(
    string Name,
    string ValueName,
    string Description,
    OptionDefault? Default,
    OptionParse Parse,
    string ValueType,
    bool IsNullable,
    bool IsFlag,
    EquatableArray<string> EnumMembers);
