namespace Pipelines.Analyzers.CodeFixes;

/// <summary>
/// PIPE033: a [Hyperparameter] that code outside the class can set after construction becomes one
/// only the generated constructor sets: <c>{ get; init; }</c> or <c>{ get; set; }</c> becomes
/// <c>{ get; }</c>, a field becomes <c>readonly</c>. Its value then comes from the
/// <c>Hyperparameters</c> record, before the constructor body runs. No fix for an accessor with a
/// body (what it stores is the user's to rewrite), a <c>required</c> member (which must stay
/// settable), or a field declaration that declares several fields.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeHyperparameterReadOnlyCodeFix)), Shared]
public sealed class MakeHyperparameterReadOnlyCodeFix() : PipelinesCodeFix<MemberDeclarationSyntax>(DiagnosticDescriptors.HyperparameterSettable)
{
    private protected override Task<Fix?> PlanAsync(FixSite site, MemberDeclarationSyntax member)
    {
        if (member.Modifiers.Any(SyntaxKind.RequiredKeyword))
            return FixSite.None;
        if (member is FieldDeclarationSyntax { Declaration.Variables.Count: 1 } field)
            return site.Replace("Make '" + field.Declaration.Variables[0].Identifier.ValueText + "' readonly", field,
                field.AddModifiers(SyntaxFactory.Token(SyntaxKind.ReadOnlyKeyword).WithTrailingTrivia(SyntaxFactory.Space)));
        if (member is not PropertyDeclarationSyntax { AccessorList: { } accessors } property
            || accessors.Accessors.FirstOrDefault(a => a.Kind() is SyntaxKind.InitAccessorDeclaration or SyntaxKind.SetAccessorDeclaration) is not { Body: null, ExpressionBody: null } setter)
            return FixSite.None;
        return site.Replace("Make '" + property.Identifier.ValueText + "' get-only: '{ get; }'", property,
            property.WithAccessorList(accessors.WithAccessors(accessors.Accessors.Remove(setter))));
    }
}
