using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Pipelines.Rules;

/// <summary>
/// How a command-line value becomes a hyperparameter: a <c>CommandLineValues.TryParse</c> overload,
/// an enum member, the type's own static <c>Parse(string, IFormatProvider)</c> (invariant culture)
/// or <c>Parse(string)</c>.
/// </summary>
internal enum OptionParse
{
    Values,
    Enum,
    ParseInvariant,
    Parse,
}

/// <summary>
/// Which [Hyperparameter] types the generated command line reads from text, and how. Shared by
/// the generator (which emits the parse) and the analyzers (which say when a type cannot be read).
/// </summary>
internal static class OptionTypes
{
    // Types with a CommandLineValues.TryParse overload, and the word the help shows for each.
    static readonly Dictionary<SpecialType, string> ValueNames = new()
    {
        [SpecialType.System_Boolean] = "bool",
        [SpecialType.System_SByte] = "sbyte",
        [SpecialType.System_Byte] = "byte",
        [SpecialType.System_Int16] = "short",
        [SpecialType.System_UInt16] = "ushort",
        [SpecialType.System_Int32] = "int",
        [SpecialType.System_UInt32] = "uint",
        [SpecialType.System_Int64] = "long",
        [SpecialType.System_UInt64] = "ulong",
        [SpecialType.System_Single] = "float",
        [SpecialType.System_Double] = "double",
        [SpecialType.System_Decimal] = "decimal",
        [SpecialType.System_String] = "text",
    };

    /// <summary>
    /// The type read (<c>T</c> for <c>T</c> and <c>T?</c>), whether <c>none</c> means null, how the
    /// text is read and the word the help shows; null for a type that cannot be read from text.
    /// </summary>
    public static (ITypeSymbol ValueType, bool IsNullable, OptionParse Parse, string ValueName)? Read(ITypeSymbol type)
    {
        var isNullable = type.NullableAnnotation == NullableAnnotation.Annotated;
        var valueType = type;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            valueType = nullable.TypeArguments[0];
            isNullable = true;
        }
        valueType = valueType.WithNullableAnnotation(NullableAnnotation.NotAnnotated);

        if (ValueNames.TryGetValue(valueType.SpecialType, out var name))
            return (valueType, isNullable, OptionParse.Values, name);
        if (valueType.TypeKind == TypeKind.Enum)
            return (valueType, isNullable, OptionParse.Enum, valueType.Name);
        if (HasParse(valueType, withProvider: true))
            return (valueType, isNullable, OptionParse.ParseInvariant, valueType.Name.ToLowerInvariant());
        if (HasParse(valueType, withProvider: false))
            return (valueType, isNullable, OptionParse.Parse, valueType.Name.ToLowerInvariant());
        return null;
    }

    // A public static T Parse(string), or with withProvider T Parse(string, IFormatProvider) (called with the invariant culture).
    static bool HasParse(ITypeSymbol type, bool withProvider) =>
        type.GetMembers("Parse").OfType<IMethodSymbol>().Any(m => m.IsStatic && m.DeclaredAccessibility == Accessibility.Public
            && m.Parameters.Length == (withProvider ? 2 : 1)
            && m.Parameters[0].Type.SpecialType == SpecialType.System_String
            && (!withProvider || m.Parameters[1].Type is { Name: "IFormatProvider", ContainingNamespace.Name: "System", ContainingNamespace.ContainingNamespace.IsGlobalNamespace: true })
            && SymbolEqualityComparer.Default.Equals(m.ReturnType.WithNullableAnnotation(NullableAnnotation.NotAnnotated), type));
}
