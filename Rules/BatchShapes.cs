using System.Linq;
using Microsoft.CodeAnalysis;

namespace Pipelines.Rules;

/// <summary>How the generated loop gets a step its batch argument.</summary>
internal enum BatchFeed
{
    /// <summary>The step takes a type of the user's, which the user's <c>IBatchSource&lt;T&gt;</c> yields as it is.</summary>
    Own,

    /// <summary>The step takes <c>Batch</c>, which the runtime's loaders yield.</summary>
    Batch,

    /// <summary>The step takes a <c>(Tensor, Tensor)</c> tuple (names allowed), built from a <c>Batch</c> at the call site.</summary>
    Tuple,

    /// <summary>The step takes a type with a constructor <c>(Tensor input, Tensor target)</c>, built from a <c>Batch</c> at the call site.</summary>
    Constructor,
}

/// <summary>
/// The batch parameter types a step may take and how each is fed, for the generator (which builds
/// the argument) and the analyzers (PIPE034 for a type it cannot pass), so that the two agree.
/// </summary>
internal static class BatchShapes
{
    /// <summary>The runtime's batch record, which <c>BatchLoader</c> and the other runtime loaders yield.</summary>
    public const string Batch = "Pipelines.Data.Batch";

    /// <summary>How a step taking <paramref name="type"/> is fed.</summary>
    public static BatchFeed Feed(ITypeSymbol type)
    {
        if (MetadataNames.Of(type) == Batch)
            return BatchFeed.Batch;
        if (type is INamedTypeSymbol { IsTupleType: true } tuple)
            return tuple.TupleElements.Length == 2 && tuple.TupleElements.All(e => IsTensor(e.Type)) ? BatchFeed.Tuple : BatchFeed.Own;
        return type is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct, IsAbstract: false, IsStatic: false } named
            && named.InstanceConstructors.Any(IsPairConstructor)
            ? BatchFeed.Constructor
            : BatchFeed.Own;
    }

    /// <summary>Whether a step taking a <paramref name="feed"/> type is fed from the runtime's <c>Batch</c> (Fit then takes <c>IBatchSource&lt;Batch&gt;</c>).</summary>
    public static bool FromBatch(BatchFeed feed) => feed != BatchFeed.Own;

    /// <summary>
    /// Why a step cannot take <paramref name="type"/> (the end of PIPE034's sentence), or null when it
    /// can: a ref struct or a pointer cannot be a batch source's type argument, and a tuple of tensors
    /// other than <c>(Tensor, Tensor)</c> is not what the loaders yield (a named type of your own, with
    /// your source, carries any other set).
    /// </summary>
    public static string? Problem(ITypeSymbol type)
    {
        if (type.IsRefLikeType)
            return "is a ref struct, which cannot be a batch source's element type";
        if (type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
            return "is a pointer, which cannot be a batch source's element type";
        if (type is INamedTypeSymbol { IsTupleType: true } tuple && Feed(type) == BatchFeed.Own && tuple.TupleElements.Any(e => IsTensor(e.Type)))
            return "is a tuple other than (Tensor, Tensor), while the loaders yield two tensors (input, target)";
        return null;
    }

    /// <summary>A constructor <c>(Tensor, Tensor)</c> the generated code can call: public, or internal in source (the pipeline's own assembly).</summary>
    static bool IsPairConstructor(IMethodSymbol constructor) =>
        (constructor.DeclaredAccessibility == Accessibility.Public
            || (constructor.DeclaredAccessibility is Accessibility.Internal or Accessibility.ProtectedOrInternal && constructor.Locations.Any(l => l.IsInSource)))
        && constructor.Parameters.Length == 2 && constructor.Parameters.All(p => p.RefKind == RefKind.None && IsTensor(p.Type));

    static bool IsTensor(ITypeSymbol type) => MetadataNames.Of(type) == WellKnownNames.Tensor;
}
