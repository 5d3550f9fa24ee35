using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Pipelines.Analyzers.CodeFixes;

/// <summary>PIPE020: the accumulated tensor becomes <c>value.detach()</c>, so no iteration's graph is kept.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DetachCodeFix)), Shared]
public sealed class DetachCodeFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticDescriptors.LossAccumulatedWithGraph.Id];

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not ExpressionSyntax value)
            return;
        context.RegisterCodeFix(
            CodeAction.Create("Accumulate '.detach()'",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(value, Detach(value)))),
                nameof(DetachCodeFix)),
            context.Diagnostics);
    }

    static ExpressionSyntax Detach(ExpressionSyntax value)
    {
        var receiver = value.WithoutTrivia();
        if (receiver is not (IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax or ParenthesizedExpressionSyntax))
            receiver = SyntaxFactory.ParenthesizedExpression(receiver);
        return SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, SyntaxFactory.IdentifierName("detach")))
            .WithTriviaFrom(value);
    }
}
