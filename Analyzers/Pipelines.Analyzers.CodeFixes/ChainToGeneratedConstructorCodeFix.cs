using Pipelines.Rules;

namespace Pipelines.Analyzers.CodeFixes;

/// <summary>
/// PIPE032: a constructor with no initialiser that takes the generated <c>Hyperparameters</c>
/// record gets <c>: this(hyperparameters)</c>, passing that parameter. Any other constructor has
/// no mechanical fix (which record to pass, or what its <c>base(...)</c> call becomes, is the user's choice).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ChainToGeneratedConstructorCodeFix)), Shared]
public sealed class ChainToGeneratedConstructorCodeFix() : PipelinesCodeFix<ConstructorDeclarationSyntax>(DiagnosticDescriptors.ConstructorNotChained)
{
    private protected override async Task<Fix?> PlanAsync(FixSite site, ConstructorDeclarationSyntax constructor)
    {
        if (constructor.Initializer is not null)
            return null;
        var model = await site.Document.GetSemanticModelAsync(site.CancellationToken).ConfigureAwait(false);
        if (model?.GetDeclaredSymbol(constructor, site.CancellationToken) is not { } symbol
            || symbol.Parameters.FirstOrDefault(p => HyperparameterConstructor.IsRecordOf(p.Type, symbol.ContainingType)) is not { } parameter)
            return null;
        var initializer = SyntaxFactory.ConstructorInitializer(SyntaxKind.ThisConstructorInitializer,
            SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(SyntaxFactory.IdentifierName(parameter.Name)))));
        // ') : this(hyperparameters)' on the constructor's line, before what followed the parameter list.
        var chained = constructor
            .WithParameterList(constructor.ParameterList.WithTrailingTrivia(SyntaxFactory.Space))
            .WithInitializer(initializer.WithTrailingTrivia(constructor.ParameterList.GetTrailingTrivia()));
        return await site.Replace("Chain to the generated constructor: ': this(" + parameter.Name + ")'", constructor, chained).ConfigureAwait(false);
    }
}
