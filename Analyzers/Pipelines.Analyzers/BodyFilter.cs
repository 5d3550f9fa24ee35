using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Pipelines.Analyzers;

/// <summary>
/// Decides from syntax alone whether a code block can hold a finding, so that only those blocks
/// are bound into operation trees (binding is most of a body analyzer's cost). A block is kept
/// when it names what one of <see cref="BodyCheck"/>'s checks looks for in a body of its role:
/// anywhere a guard factory (<c>no_grad</c>, <c>NewDisposeScope</c>, ...), <c>eval</c>/<c>train</c>,
/// <c>forward</c>, <c>add_</c>, or an addition in a loop beside a name that makes or holds tensors;
/// in a training step also host reads, factories and any addition; in an
/// evaluation step <c>backward</c>/<c>step</c>/<c>zero_grad</c> and factories; in a handler a module
/// run.
/// </summary>
internal sealed class BodyFilter
{
    static readonly HashSet<string> TensorNames = ["Tensor", "Parameter", "torch", "nn", "functional", "call", "backward"];
    static readonly HashSet<string> Optimization = ["backward", "step", "zero_grad"];

    readonly KnownSymbols known;
    readonly HashSet<string> anywhere = ["eval", "train", "forward", "add_"];
    readonly HashSet<string> factories = [];

    public BodyFilter(KnownSymbols known)
    {
        this.known = known;
        // TorchSharp's guard factories and tensor factories by name: torch.no_grad(), torch.NewDisposeScope(), torch.zeros(...), ...
        foreach (var member in known.Torch?.GetMembers() ?? [])
        {
            if (member is not IMethodSymbol { IsStatic: true } method)
                continue;
            if (known.IsGuardFactory(method))
                anywhere.Add(method.Name);
            else if (known.IsFactory(method))
                factories.Add(method.Name);
        }
    }

    public bool MayMatter(BodyOwner owner, SyntaxNode codeBlock)
    {
        var role = owner.Role;
        var training = role is BodyRole.TrainingStep or BodyRole.ManualTrainingStep;
        var evaluation = role is BodyRole.ValidationStep or BodyRole.TestStep;
        bool adds = false, loops = false, tensors = false;
        foreach (var token in codeBlock.DescendantTokens())
        {
            switch (token.Kind())
            {
                case SyntaxKind.IdentifierToken when token.Parent is SimpleNameSyntax:
                    var name = token.ValueText;
                    if (anywhere.Contains(name)
                        || (training && (BodyCheck.HostReads.Contains(name) || factories.Contains(name) || name == "step"))
                        || (evaluation && (Optimization.Contains(name) || factories.Contains(name)))
                        || (role == BodyRole.Handler && name == "call"))
                        return true;
                    tensors |= TensorNames.Contains(name);
                    break;
                case SyntaxKind.PlusToken or SyntaxKind.PlusEqualsToken:
                    if (training)
                        return true;
                    adds = true;
                    break;
                case SyntaxKind.ForKeyword or SyntaxKind.ForEachKeyword or SyntaxKind.WhileKeyword:
                    loops = true;
                    break;
            }
            if (adds && loops && tensors)
                return true;
        }
        return false;
    }
}
