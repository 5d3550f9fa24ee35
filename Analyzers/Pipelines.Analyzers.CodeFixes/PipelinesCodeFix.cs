using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis.CodeActions;

namespace Pipelines.Analyzers.CodeFixes;

/// <summary>
/// What every Pipelines code fix shares: the one diagnostic it fixes, the syntax node of type
/// <typeparamref name="TNode"/> at (or around) the diagnostic, one code action per diagnostic
/// whose equivalence key is the fix's name (so Fix All applies the same fix everywhere), and a
/// batch Fix All. A fix states only where it applies and what it changes, in <see cref="PlanAsync"/>.
/// </summary>
/// <typeparam name="TNode">The innermost node of this type that contains the diagnostic is what the fix rewrites or starts from.</typeparam>
public abstract class PipelinesCodeFix<TNode> : CodeFixProvider
    where TNode : SyntaxNode
{
    readonly string equivalenceKey;

    /// <summary>A fix for the diagnostics of <paramref name="fixable"/>.</summary>
    private protected PipelinesCodeFix(DiagnosticDescriptor fixable)
    {
        FixableDiagnosticIds = [fixable.Id];
        equivalenceKey = GetType().Name;
    }

    /// <inheritdoc />
    public sealed override ImmutableArray<string> FixableDiagnosticIds { get; }

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true).FirstAncestorOrSelf<TNode>() is not { } node)
            return;
        var fix = await PlanAsync(new FixSite(context.Document, root, context.CancellationToken), node).ConfigureAwait(false);
        if (fix is not null)
            context.RegisterCodeFix(CodeAction.Create(fix.Title, fix.Apply, equivalenceKey), context.Diagnostics);
    }

    /// <summary>The fix for the diagnostic at <paramref name="node"/>, or null where it has no mechanical fix.</summary>
    private protected abstract Task<Fix?> PlanAsync(FixSite site, TNode node);

    /// <summary>
    /// A Fix All that applies the fixes of a document one after another, each to the document the
    /// previous one made, for a fix whose result depends on the rest of the document (a batch
    /// computes every fix against the original and merges them).
    /// </summary>
    private protected FixAllProvider OneAfterAnother() => FixAllProvider.Create(FixInTurnAsync);

    async Task<Document?> FixInTurnAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        if (await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false) is not { } root)
            return document;
        var marks = new List<SyntaxAnnotation>();
        var nodes = new Dictionary<SyntaxNode, SyntaxAnnotation>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<TNode>() is { } node && !nodes.ContainsKey(node))
                marks.Add(nodes[node] = new SyntaxAnnotation());
        document = document.WithSyntaxRoot(root.ReplaceNodes(nodes.Keys, (original, _) => original.WithAdditionalAnnotations(nodes[original])));
        foreach (var mark in marks)
        {
            root = (await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false))!;
            if (root.GetAnnotatedNodes(mark).OfType<TNode>().FirstOrDefault() is { } node
                && await PlanAsync(new FixSite(document, root, context.CancellationToken), node).ConfigureAwait(false) is { } fix)
                document = await fix.Apply(context.CancellationToken).ConfigureAwait(false);
        }
        return document;
    }

    /// <summary>The document a fix is asked for, its syntax root, and the request's cancellation.</summary>
    private protected readonly struct FixSite(Document document, SyntaxNode root, CancellationToken cancellationToken)
    {
        public Document Document { get; } = document;

        public SyntaxNode Root { get; } = root;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        /// <summary>A fix that replaces <paramref name="node"/> with <paramref name="replacement"/>.</summary>
        public Task<Fix?> Replace(string title, SyntaxNode node, SyntaxNode replacement)
        {
            var (document, root) = (Document, Root);
            return Offer(title, _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(node, replacement))));
        }

        /// <summary>A fix that makes its document with <paramref name="apply"/>.</summary>
        public static Task<Fix?> Offer(string title, Func<CancellationToken, Task<Document>> apply) => Task.FromResult<Fix?>(new(title, apply));

        /// <summary>No fix here.</summary>
        public static Task<Fix?> None => Task.FromResult<Fix?>(null);
    }

    /// <summary>A code action before it is registered: the title the IDE shows and what it does.</summary>
    private protected sealed class Fix(string title, Func<CancellationToken, Task<Document>> apply)
    {
        public string Title { get; } = title;

        public Func<CancellationToken, Task<Document>> Apply { get; } = apply;
    }
}
