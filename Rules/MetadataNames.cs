using Microsoft.CodeAnalysis;

namespace Pipelines.Rules;

/// <summary>
/// Types compared by metadata name, the way <see cref="WellKnownNames"/> spells them. The
/// generator cannot compare symbols with TorchSharp's (a netstandard2.0 assembly cannot reference
/// it), and TorchSharp nests its types (<c>Tensor</c> in <c>torch</c>, <c>Module</c> in
/// <c>torch.nn</c>), so a name is the namespace, then each containing type joined by <c>+</c>,
/// then the type's own metadata name (<c>TorchSharp.torch+nn+Module`2</c>). Linked into the
/// analyzers, so both read a type the same way.
/// </summary>
internal static class MetadataNames
{
    /// <summary>The metadata name of <paramref name="type"/> (<c>TorchSharp.torch+Tensor</c>), or null for none.</summary>
    public static string? Of(ITypeSymbol? type)
    {
        if (type is null)
            return null;
        var name = type.MetadataName;
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            name = outer.MetadataName + "+" + name;
        var top = type;
        while (top.ContainingType is { } containing)
            top = containing;
        return top.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + name : name;
    }

    /// <summary>Whether <paramref name="type"/> is, or derives from, the class named <paramref name="metadataName"/>.</summary>
    public static bool DerivesFrom(ITypeSymbol type, string metadataName)
    {
        for (ITypeSymbol? t = type; t is not null; t = t.BaseType)
            if (Of(t) == metadataName)
                return true;
        return false;
    }
}
