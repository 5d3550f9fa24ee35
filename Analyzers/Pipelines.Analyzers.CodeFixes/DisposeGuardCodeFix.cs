namespace Pipelines.Analyzers.CodeFixes;

/// <summary>
/// PIPE017: a discarded <c>torch.no_grad()</c> becomes <c>using var _ = torch.no_grad();</c>, and
/// a local that holds a guard gets <c>using</c>. Offered only where a using declaration is legal
/// (directly in a block or among top-level statements).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DisposeGuardCodeFix)), Shared]
public sealed class DisposeGuardCodeFix() : PipelinesCodeFix<InvocationExpressionSyntax>(DiagnosticDescriptors.GuardNotDisposed)
{
    /// <summary>One guard after another: the name each gets (<c>_</c>, <c>guard</c>, ...) depends on the names the previous ones took.</summary>
    public override FixAllProvider GetFixAllProvider() => OneAfterAnother();

    private protected override Task<Fix?> PlanAsync(FixSite site, InvocationExpressionSyntax invocation)
    {
        var statement = invocation.Ancestors().OfType<StatementSyntax>().FirstOrDefault();
        if (statement?.Parent is not (BlockSyntax or GlobalStatementSyntax))
            return FixSite.None;
        var (document, root) = (site.Document, site.Root);
        return statement switch
        {
            ExpressionStatementSyntax expression when IsGuardExpression(expression.Expression, invocation) =>
                FixSite.Offer("Dispose with 'using var'", cancellationToken => UsingDeclaration(document, root, expression, invocation, cancellationToken)),
            LocalDeclarationStatementSyntax local when local.UsingKeyword.IsKind(SyntaxKind.None) =>
                site.Replace("Add 'using'", local, AddUsing(local)),
            _ => FixSite.None,
        };
    }

    /// <summary>The statement is the call itself or <c>_ = call</c>.</summary>
    static bool IsGuardExpression(ExpressionSyntax expression, InvocationExpressionSyntax invocation) =>
        expression == invocation
        || (expression is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" } } assignment && assignment.Right == invocation);

    static async Task<Document> UsingDeclaration(Document document, SyntaxNode root, ExpressionStatementSyntax statement,
        InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        // '_' as a local would turn any other '_ = ...' discard in the block into an assignment to it.
        var otherDiscards = statement.Parent!.DescendantTokens().Any(t => t.ValueText == "_" && !statement.Span.Contains(t.Span));
        var name = otherDiscards ? "guard" : "_";
        for (var i = 2; model is not null && model.LookupSymbols(statement.SpanStart, name: name).Any(s => s is ILocalSymbol or IParameterSymbol); i++)
            name = "guard" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var declaration = SyntaxFactory.LocalDeclarationStatement(
                SyntaxFactory.VariableDeclaration(
                    SyntaxFactory.IdentifierName(SyntaxFactory.Identifier(SyntaxFactory.TriviaList(), SyntaxKind.VarKeyword, "var", "var", SyntaxFactory.TriviaList(SyntaxFactory.Space))),
                    SyntaxFactory.SingletonSeparatedList(
                        SyntaxFactory.VariableDeclarator(SyntaxFactory.Identifier(name).WithTrailingTrivia(SyntaxFactory.Space))
                            .WithInitializer(SyntaxFactory.EqualsValueClause(
                                SyntaxFactory.Token(SyntaxKind.EqualsToken).WithTrailingTrivia(SyntaxFactory.Space),
                                invocation.WithoutTrivia())))))
            .WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword).WithTrailingTrivia(SyntaxFactory.Space))
            .WithSemicolonToken(statement.SemicolonToken)
            .WithLeadingTrivia(statement.GetLeadingTrivia());
        return document.WithSyntaxRoot(root.ReplaceNode(statement, declaration));
    }

    static LocalDeclarationStatementSyntax AddUsing(LocalDeclarationStatementSyntax local)
    {
        var leading = local.GetLeadingTrivia();
        return local.WithoutLeadingTrivia()
            .WithUsingKeyword(SyntaxFactory.Token(leading, SyntaxKind.UsingKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space)));
    }
}
