namespace Pipelines.Analyzers.CodeFixes;

/// <summary>PIPE030: the <c>loss.backward();</c> statement of a step that returns its loss goes (the engine runs backward).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveBackwardCodeFix)), Shared]
public sealed class RemoveBackwardCodeFix() : PipelinesCodeFix<InvocationExpressionSyntax>(DiagnosticDescriptors.BackwardInAutomaticStep)
{
    // Only a call that stands alone as a statement: a backward() inside an expression has a value the code uses.
    private protected override Task<Fix?> PlanAsync(FixSite site, InvocationExpressionSyntax invocation)
    {
        if (invocation is not { Parent: ExpressionStatementSyntax { Parent: BlockSyntax } statement })
            return FixSite.None;
        var (document, root) = (site.Document, site.Root);
        return FixSite.Offer("Remove backward(): the engine runs it",
            _ => Task.FromResult(document.WithSyntaxRoot(root.RemoveNode(statement, SyntaxRemoveOptions.KeepNoTrivia)!)));
    }
}
