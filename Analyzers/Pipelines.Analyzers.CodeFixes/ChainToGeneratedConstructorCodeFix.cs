using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Pipelines.Rules;

namespace Pipelines.Analyzers.CodeFixes;

/// <summary>
/// PIPE032: a constructor with no initialiser that takes the generated <c>Hyperparameters</c>
/// record gets <c>: this(hyperparameters)</c>, passing that parameter. Any other constructor has
/// no mechanical fix (which record to pass, or what its <c>base(...)</c> call becomes, is the user's choice).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ChainToGeneratedConstructorCodeFix)), Shared]
public sealed class ChainToGeneratedConstructorCodeFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticDescriptors.ConstructorNotChained.Id];

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span).FirstAncestorOrSelf<ConstructorDeclarationSyntax>() is not { Initializer: null } constructor)
            return;
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (model?.GetDeclaredSymbol(constructor, context.CancellationToken) is not { } symbol
            || symbol.Parameters.FirstOrDefault(p => HyperparameterConstructor.IsRecordOf(p.Type, symbol.ContainingType)) is not { } parameter)
            return;
        var initializer = SyntaxFactory.ConstructorInitializer(SyntaxKind.ThisConstructorInitializer,
            SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(SyntaxFactory.IdentifierName(parameter.Name)))));
        // ') : this(hyperparameters)' on the constructor's line, before what followed the parameter list.
        var chained = constructor
            .WithParameterList(constructor.ParameterList.WithTrailingTrivia(SyntaxFactory.Space))
            .WithInitializer(initializer.WithTrailingTrivia(constructor.ParameterList.GetTrailingTrivia()));
        context.RegisterCodeFix(
            CodeAction.Create("Chain to the generated constructor: ': this(" + parameter.Name + ")'",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(constructor, chained))),
                nameof(ChainToGeneratedConstructorCodeFix)),
            context.Diagnostics);
    }
}
