using Pipelines.Rules;

namespace Pipelines.Analyzers.CodeFixes;

/// <summary>
/// PIPE032: a constructor with no initialiser chains to the generated <c>Name(Hyperparameters)</c>.
/// One that takes the record passes it (<c>: this(settings)</c>); a parameterless one passes the
/// defaults (<c>: this(new Hyperparameters())</c>: its callers stay as they are, and taking the record
/// would make it the generated constructor's twin); any other takes the record first
/// (<c>(Hyperparameters hyperparameters, ...) : this(hyperparameters)</c>), so that its callers say which values the run has.
/// No fix where that is not mechanical: a <c>base(...)</c> call (what becomes of it is the user's
/// choice), a record with required members (it has no defaults), a parameter already named
/// <c>hyperparameters</c>, or a constructor of the class that already has the new signature.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ChainToGeneratedConstructorCodeFix)), Shared]
public sealed class ChainToGeneratedConstructorCodeFix() : PipelinesCodeFix<ConstructorDeclarationSyntax>(DiagnosticDescriptors.ConstructorNotChained)
{
    const string Parameter = "hyperparameters";

    private protected override async Task<Fix?> PlanAsync(FixSite site, ConstructorDeclarationSyntax constructor)
    {
        if (constructor.Initializer is not null)
            return null;
        var model = await site.Document.GetSemanticModelAsync(site.CancellationToken).ConfigureAwait(false);
        if (model?.GetDeclaredSymbol(constructor, site.CancellationToken) is not { } symbol)
            return null;
        var type = symbol.ContainingType;
        if (symbol.Parameters.FirstOrDefault(p => HyperparameterConstructor.IsRecordOf(p.Type, type)) is { } record)
            return await Chain(site, constructor, constructor.ParameterList, SyntaxFactory.IdentifierName(record.Name)).ConfigureAwait(false);
        if (symbol.Parameters.IsEmpty)
            return HasRequiredMembers(type)
                ? null
                : await Chain(site, constructor, constructor.ParameterList, SyntaxFactory.ParseExpression("new " + HyperparameterConstructor.Record + "()")).ConfigureAwait(false);
        if (symbol.Parameters.Any(p => p.Name == Parameter) || HasTakingRecordBefore(type, symbol))
            return null;
        var parameters = constructor.ParameterList.Parameters.Insert(0,
            SyntaxFactory.Parameter(SyntaxFactory.Identifier(Parameter)).WithType(SyntaxFactory.IdentifierName(HyperparameterConstructor.Record).WithTrailingTrivia(SyntaxFactory.Space)));
        parameters = parameters.ReplaceSeparator(parameters.GetSeparator(0), parameters.GetSeparator(0).WithTrailingTrivia(SyntaxFactory.Space));
        return await Chain(site, constructor, constructor.ParameterList.WithParameters(parameters), SyntaxFactory.IdentifierName(Parameter)).ConfigureAwait(false);
    }

    /// <summary>The constructor with <paramref name="parameters"/> and <c>: this(argument)</c> on its line, before what followed the parameter list.</summary>
    static Task<Fix?> Chain(FixSite site, ConstructorDeclarationSyntax constructor, ParameterListSyntax parameters, ExpressionSyntax argument)
    {
        var initializer = SyntaxFactory.ConstructorInitializer(SyntaxKind.ThisConstructorInitializer,
            SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(argument))));
        var chained = constructor
            .WithParameterList(parameters.WithTrailingTrivia(SyntaxFactory.Space))
            .WithInitializer(initializer.WithTrailingTrivia(constructor.ParameterList.GetTrailingTrivia()));
        return site.Replace("Chain to the generated constructor: ': this(" + argument + ")'", constructor, chained);
    }

    /// <summary>Whether the generated record has a required member, so that <c>new Hyperparameters()</c> does not compile.</summary>
    static bool HasRequiredMembers(INamedTypeSymbol type) =>
        type.GetTypeMembers(HyperparameterConstructor.Record).Any(r => r.GetMembers().Any(m => m is IPropertySymbol { IsRequired: true }));

    /// <summary>Whether the class already has a constructor taking the record and then <paramref name="constructor"/>'s parameter types.</summary>
    static bool HasTakingRecordBefore(INamedTypeSymbol type, IMethodSymbol constructor) =>
        type.InstanceConstructors.Any(c => c.Parameters.Length == constructor.Parameters.Length + 1
            && HyperparameterConstructor.IsRecordOf(c.Parameters[0].Type, type)
            && c.Parameters.Skip(1).Zip(constructor.Parameters, (a, b) => SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(same => same));
}
