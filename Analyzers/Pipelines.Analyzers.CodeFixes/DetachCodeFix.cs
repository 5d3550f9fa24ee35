using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Pipelines.Analyzers.CodeFixes;

/// <summary>PIPE020: the accumulated tensor becomes <c>value.detach()</c>, so no iteration's graph is kept.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DetachCodeFix)), Shared]
public sealed class DetachCodeFix() : PipelinesCodeFix<ExpressionSyntax>(DiagnosticDescriptors.LossAccumulatedWithGraph)
{
    private protected override Task<Fix?> PlanAsync(FixSite site, ExpressionSyntax value) =>
        site.Replace("Accumulate '.detach()'", value, Detach(value));

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
