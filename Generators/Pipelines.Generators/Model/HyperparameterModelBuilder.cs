using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Pipelines.Rules;

namespace Pipelines.Generators.Model;

/// <summary>A [Hyperparameter] member's model: its type, how its value is recorded, and its command-line option.</summary>
internal static class HyperparameterModelBuilder
{
    static readonly HashSet<SpecialType> SetOverloads =
    [
        SpecialType.System_Boolean, SpecialType.System_SByte, SpecialType.System_Byte, SpecialType.System_Int16,
        SpecialType.System_UInt16, SpecialType.System_Int32, SpecialType.System_UInt32, SpecialType.System_Int64,
        SpecialType.System_UInt64, SpecialType.System_Single, SpecialType.System_Double, SpecialType.System_Decimal,
        SpecialType.System_String,
    ];

    // Nullable<T> forms with a HyperparameterValues.Set overload they convert to (long?, double?, bool?).
    static readonly HashSet<SpecialType> NullableSetOverloads =
    [
        SpecialType.System_Boolean, SpecialType.System_SByte, SpecialType.System_Byte, SpecialType.System_Int16,
        SpecialType.System_UInt16, SpecialType.System_Int32, SpecialType.System_UInt32, SpecialType.System_Int64,
        SpecialType.System_Single, SpecialType.System_Double,
    ];

    public static HyperparameterModel Build(ISymbol member, Compilation compilation, CancellationToken cancellationToken)
    {
        var type = PipelineRules.HyperparameterType(member)!;
        var underlying = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
            ? nullable.TypeArguments[0]
            : null;
        var typed = underlying is null ? SetOverloads.Contains(type.SpecialType) : NullableSetOverloads.Contains(underlying.SpecialType);
        var propertyName = PipelineRules.PropertyName(member.Name);
        // A static member is not per run: it is recorded, but not set from the command line.
        var option = member.IsStatic ? null : OptionModelBuilder.Build(member, type, propertyName, compilation, cancellationToken);
        return new HyperparameterModel(member.Name, propertyName, type.ToDisplayString(DisplayFormats.Type), member.IsStatic,
            typed ? HyperparameterRecording.Typed : HyperparameterRecording.Text, option, HyperparameterConstructor.Sets(member));
    }
}
