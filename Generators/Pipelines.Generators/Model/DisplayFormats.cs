using Microsoft.CodeAnalysis;

namespace Pipelines.Generators.Model;

/// <summary>How the model spells types: fully qualified (a user type cannot shadow them), nullable reference types annotated.</summary>
internal static class DisplayFormats
{
    public static readonly SymbolDisplayFormat Type = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);
}
