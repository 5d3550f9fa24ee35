namespace Pipelines.Analyzers.CodeFixes;

/// <summary>PIPE001: adds <c>partial</c> to the pipeline type (or the containing type) that lacks it.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFix)), Shared]
public sealed class MakePartialCodeFix() : PipelinesCodeFix<TypeDeclarationSyntax>(DiagnosticDescriptors.PipelineNotPartial)
{
    private protected override Task<Fix?> PlanAsync(FixSite site, TypeDeclarationSyntax declaration) =>
        site.Replace("Make '" + declaration.Identifier.ValueText + "' partial", declaration, MakePartial(declaration));

    static TypeDeclarationSyntax MakePartial(TypeDeclarationSyntax declaration)
    {
        // 'partial' goes last among the modifiers, right before the keyword; with no modifiers it
        // takes over the keyword's leading trivia (the indentation after the attributes).
        if (declaration.Modifiers.Count > 0)
            return declaration.AddModifiers(SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space));
        var keyword = declaration.Keyword;
        var partial = SyntaxFactory.Token(keyword.LeadingTrivia, SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
        return declaration.WithKeyword(keyword.WithLeadingTrivia()).WithModifiers(SyntaxFactory.TokenList(partial));
    }
}
