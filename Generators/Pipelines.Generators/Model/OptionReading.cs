using Pipelines.Rules;

namespace Pipelines.Generators.Model;

/// <summary>How an option's text becomes its value: the conversion, the type read (without <c>?</c>), whether <c>none</c> means null, and an enum's members.</summary>
internal sealed record OptionReading(OptionParse Parse, string ValueType, bool IsNullable, EquatableArray<string> EnumMembers);
