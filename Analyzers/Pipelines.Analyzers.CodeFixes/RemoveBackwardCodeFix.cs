using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Pipelines.Analyzers.CodeFixes;

/// <summary>PIPE030: the <c>loss.backward();</c> statement of a step that returns its loss goes (the engine runs backward).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveBackwardCodeFix)), Shared]
public sealed class RemoveBackwardCodeFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticDescriptors.BackwardInAutomaticStep.Id];

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        // Only a call that stands alone as a statement: a backward() inside an expression has a value the code uses.
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true).AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault()
            is not { Parent: ExpressionStatementSyntax { Parent: BlockSyntax } statement })
            return;
        context.RegisterCodeFix(
            CodeAction.Create("Remove backward(): the engine runs it",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.RemoveNode(statement, SyntaxRemoveOptions.KeepNoTrivia)!)),
                nameof(RemoveBackwardCodeFix)),
            context.Diagnostics);
    }
}
