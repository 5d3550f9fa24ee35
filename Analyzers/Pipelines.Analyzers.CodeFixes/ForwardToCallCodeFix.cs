using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Pipelines.Analyzers.CodeFixes;

/// <summary>PIPE021: <c>model.forward(x)</c> becomes <c>model.call(x)</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ForwardToCallCodeFix)), Shared]
public sealed class ForwardToCallCodeFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticDescriptors.ForwardCalledDirectly.Id];

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var invocation = root?.FindNode(context.Span, getInnermostNodeForTie: true).AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault();
        if (root is null || invocation?.Expression is not MemberAccessExpressionSyntax access)
            return;
        var call = SyntaxFactory.IdentifierName("call").WithTriviaFrom(access.Name);
        context.RegisterCodeFix(
            CodeAction.Create("Call 'call' instead of 'forward'",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(access.Name, call))),
                nameof(ForwardToCallCodeFix)),
            context.Diagnostics);
    }
}
