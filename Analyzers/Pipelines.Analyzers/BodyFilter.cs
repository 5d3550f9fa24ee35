using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Pipelines.Analyzers;

/// <summary>
/// Decides from syntax alone whether a code block can hold a finding, so that only those blocks
/// are bound into operation trees (binding is most of a body analyzer's cost). A block is kept
/// when it names what one of <see cref="BodyCheck"/>'s checks looks for in a body of its role:
/// anywhere a guard factory (<c>no_grad</c>, <c>NewDisposeScope</c>, ...) or a call whose result
/// is dropped (a guard wrapper's call, confirmed by binding that call alone), <c>eval</c>/<c>train</c>,
/// <c>forward</c>, <c>add_</c>, or an addition or <c>Add</c> in a loop beside a name that makes or holds tensors;
/// in a training step also host reads, <c>backward</c>/<c>step</c>/<c>zero_grad</c>, <c>Add</c>, <c>bytes</c>
/// and any addition; in an evaluation step <c>backward</c>/<c>step</c>/<c>zero_grad</c>; in a handler a
/// module run.
/// </summary>
internal sealed class BodyFilter
{
    static readonly HashSet<string> TensorNames = ["Tensor", "Parameter", "torch", "nn", "functional", "call", "backward"];
    static readonly HashSet<string> Optimization = ["backward", "step", "zero_grad"];
    static readonly HashSet<string> TrainingOnly = ["backward", "step", "zero_grad", "Add", "bytes"];

    readonly KnownSymbols known;
    readonly HashSet<string> anywhere = ["eval", "train", "forward", "add_"];

    public BodyFilter(KnownSymbols known)
    {
        this.known = known;
        // TorchSharp's guard factories by name: torch.no_grad(), torch.NewDisposeScope(), ...
        foreach (var member in known.Torch?.GetMembers() ?? [])
            if (member is IMethodSymbol { IsStatic: true } method && known.IsGuardFactory(method))
                anywhere.Add(method.Name);
    }

    /// <summary>Whether <paramref name="codeBlock"/> of <paramref name="owner"/> names anything a body check looks for; <paramref name="model"/> binds a dropped call's target only.</summary>
    public bool MayMatter(BodyOwner owner, SyntaxNode codeBlock, SemanticModel model)
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
                        || (training && (BodyCheck.HostReads.Contains(name) || TrainingOnly.Contains(name)))
                        || (evaluation && Optimization.Contains(name))
                        || (name == "Add" && loops)
                        || (role == BodyRole.Handler && name == "call")
                        || DropsGuardWrapperResult(token.Parent, model))
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

    /// <summary>
    /// <paramref name="name"/> is the method of a call whose result is dropped (<c>Quiet();</c>,
    /// <c>_ = Quiet();</c>) and that method wraps a guard factory. Only such calls are bound, one
    /// call each, not their block.
    /// </summary>
    bool DropsGuardWrapperResult(SyntaxNode? name, SemanticModel model)
    {
        var callee = name?.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
        if (callee?.Parent is not InvocationExpressionSyntax invocation || invocation.Expression != callee
            || invocation.Parent is not (ExpressionStatementSyntax or AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" }, Parent: ExpressionStatementSyntax }))
            return false;
        return model.GetSymbolInfo(invocation).Symbol is IMethodSymbol method && known.IsGuardWrapper(method);
    }
}
