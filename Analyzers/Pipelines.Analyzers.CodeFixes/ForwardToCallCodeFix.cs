namespace Pipelines.Analyzers.CodeFixes;

/// <summary>PIPE021: <c>model.forward(x)</c> becomes <c>model.call(x)</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ForwardToCallCodeFix)), Shared]
public sealed class ForwardToCallCodeFix() : PipelinesCodeFix<InvocationExpressionSyntax>(DiagnosticDescriptors.ForwardCalledDirectly)
{
    private protected override Task<Fix?> PlanAsync(FixSite site, InvocationExpressionSyntax invocation) =>
        invocation.Expression is MemberAccessExpressionSyntax access
            ? site.Replace("Call 'call' instead of 'forward'", access.Name, SyntaxFactory.IdentifierName("call").WithTriviaFrom(access.Name))
            : FixSite.None;
}
