using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Pipelines.Analyzers;

/// <summary>
/// Decides from syntax alone whether a code block can hold a finding, so that only those blocks
/// are bound into operation trees (binding is most of an operation analyzer's cost). Every member
/// of a [Pipeline] class is checked; any other block only when it names a guard factory
/// (<c>no_grad</c>, <c>NewDisposeScope</c>, ...), <c>eval</c>/<c>train</c> (evaluation code),
/// <c>forward</c> or <c>add_</c>, or adds inside a loop (an accumulation).
/// </summary>
internal sealed class BodyFilter
{
    readonly KnownSymbols known;
    readonly HashSet<string> names = ["eval", "train", "forward", "add_"];

    public BodyFilter(KnownSymbols known)
    {
        this.known = known;
        // The binding's guard factories by name: torch.no_grad(), torch.inference_mode(), torch.NewDisposeScope(), ...
        foreach (var type in new[] { known.Torch, known.GradModeGuard, known.InferenceModeGuard, known.DisposeScope })
            if (type is not null)
                foreach (var member in type.GetMembers())
                    if (member is IMethodSymbol { IsStatic: true } method && known.IsGuard(method.ReturnType))
                        names.Add(method.Name);
    }

    public bool MayMatter(ISymbol owningSymbol, SyntaxNode codeBlock)
    {
        if (owningSymbol.ContainingType is { } type && KnownSymbols.Has(type, known.PipelineAttribute))
            return true;
        var adds = false;
        var loops = false;
        foreach (var token in codeBlock.DescendantTokens())
        {
            switch (token.Kind())
            {
                case SyntaxKind.IdentifierToken when token.Parent is SimpleNameSyntax && names.Contains(token.ValueText):
                    return true;
                case SyntaxKind.PlusToken or SyntaxKind.PlusEqualsToken:
                    adds = true;
                    break;
                case SyntaxKind.ForKeyword or SyntaxKind.ForEachKeyword or SyntaxKind.WhileKeyword:
                    loops = true;
                    break;
            }
            if (adds && loops)
                return true;
        }
        return false;
    }
}
