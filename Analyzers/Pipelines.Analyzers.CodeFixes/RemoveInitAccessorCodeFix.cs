namespace Pipelines.Analyzers.CodeFixes;

/// <summary>
/// PIPE033: <c>{ get; init; }</c> on a [Hyperparameter] becomes <c>{ get; }</c>; the generated
/// constructor still sets the get-only auto-property, so its value comes from the
/// <c>Hyperparameters</c> record, before the constructor body runs. An init accessor with a body
/// (what it stores is the user's to rewrite) or a <c>required</c> property (which must stay settable) has no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveInitAccessorCodeFix)), Shared]
public sealed class RemoveInitAccessorCodeFix() : PipelinesCodeFix<PropertyDeclarationSyntax>(DiagnosticDescriptors.HyperparameterInitOnly)
{
    private protected override Task<Fix?> PlanAsync(FixSite site, PropertyDeclarationSyntax property)
    {
        if (property.AccessorList is not { } accessors
            || accessors.Accessors.FirstOrDefault(a => a.IsKind(SyntaxKind.InitAccessorDeclaration)) is not { Body: null, ExpressionBody: null } init
            || property.Modifiers.Any(SyntaxKind.RequiredKeyword))
            return FixSite.None;
        return site.Replace("Make '" + property.Identifier.ValueText + "' get-only: '{ get; }'", property,
            property.WithAccessorList(accessors.WithAccessors(accessors.Accessors.Remove(init))));
    }
}
