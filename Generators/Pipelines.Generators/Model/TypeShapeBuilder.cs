using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Pipelines.Rules;

namespace Pipelines.Generators.Model;

/// <summary>The <see cref="TypeShape"/> of a pipeline class: where it is declared and how its partial repeats the declaration.</summary>
internal static class TypeShapeBuilder
{
    public static TypeShape Build(INamedTypeSymbol type, TypeDeclarationSyntax declaration, CancellationToken cancellationToken) =>
        new(type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
            new EquatableArray<ContainingTypeModel>(ContainingTypes(type, cancellationToken)),
            Kind(declaration),
            type.Name,
            TypeParameters(type),
            HintName(type));

    static List<ContainingTypeModel> ContainingTypes(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var result = new List<ContainingTypeModel>();
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            var syntax = (TypeDeclarationSyntax)outer.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
            result.Insert(0, new ContainingTypeModel(Kind(syntax), outer.Name + TypeParameters(outer)));
        }
        return result;
    }

    static DeclarationKind Kind(TypeDeclarationSyntax declaration) => declaration switch
    {
        RecordDeclarationSyntax record when record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => DeclarationKind.RecordStruct,
        RecordDeclarationSyntax => DeclarationKind.Record,
        StructDeclarationSyntax => DeclarationKind.Struct,
        InterfaceDeclarationSyntax => DeclarationKind.Interface,
        _ => DeclarationKind.Class,
    };

    static string TypeParameters(INamedTypeSymbol type) =>
        type.TypeParameters.Length == 0 ? "" : "<" + string.Join(", ", type.TypeParameters.Select(p => p.Name)) + ">";

    static string HintName(INamedTypeSymbol type)
    {
        var parts = new List<string>();
        for (ISymbol? s = type; s is INamedTypeSymbol t; s = t.ContainingType)
            parts.Insert(0, t.MetadataName.Replace('`', '_'));
        if (!type.ContainingNamespace.IsGlobalNamespace)
            parts.Insert(0, type.ContainingNamespace.ToDisplayString());
        return string.Join(".", parts) + GeneratedMembers.FileSuffix;
    }
}
