namespace Pipelines.Analyzers.CodeFixes;

/// <summary>
/// PIPE020: the accumulated tensor becomes <c>value.detach()</c>, so no iteration's graph is kept.
/// In the conditional form (<c>t = t is null ? x : t + x</c>) every term that reaches the
/// accumulator is detached, the first value included: detaching the addend alone would keep the
/// first iteration's graph.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DetachCodeFix)), Shared]
public sealed class DetachCodeFix() : PipelinesCodeFix<ExpressionSyntax>(DiagnosticDescriptors.LossAccumulatedWithGraph)
{
    const string Title = "Accumulate '.detach()'";

    private protected override Task<Fix?> PlanAsync(FixSite site, ExpressionSyntax value) =>
        ConditionalAssignment(value) is var (conditional, accumulator)
            ? site.Replace(Title, conditional, DetachTerms(conditional, accumulator))
            : site.Replace(Title, value, Detach(value));

    /// <summary>
    /// The outermost conditional that <paramref name="value"/> is a term of, when that conditional
    /// is what an assignment stores in its accumulator; else null.
    /// </summary>
    static (ConditionalExpressionSyntax Conditional, ExpressionSyntax Accumulator)? ConditionalAssignment(ExpressionSyntax value)
    {
        ConditionalExpressionSyntax? outermost = null;
        for (SyntaxNode current = value; current.Parent is { } parent; current = parent)
        {
            switch (parent)
            {
                case ParenthesizedExpressionSyntax or BinaryExpressionSyntax:
                    continue;
                case ConditionalExpressionSyntax conditional when current != conditional.Condition:
                    outermost = conditional;
                    continue;
                case AssignmentExpressionSyntax assignment when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && assignment.Right == current && outermost is not null:
                    return (outermost, assignment.Left);
            }
            return null;
        }
        return null;
    }

    /// <summary>Each branch: the term added to the accumulator, or the whole branch where it does not mention the accumulator (the first value).</summary>
    static ExpressionSyntax DetachTerms(ExpressionSyntax branch, ExpressionSyntax accumulator) => branch switch
    {
        ParenthesizedExpressionSyntax parenthesized => parenthesized.WithExpression(DetachTerms(parenthesized.Expression, accumulator)),
        ConditionalExpressionSyntax conditional => conditional
            .WithWhenTrue(DetachTerms(conditional.WhenTrue, accumulator))
            .WithWhenFalse(DetachTerms(conditional.WhenFalse, accumulator)),
        BinaryExpressionSyntax sum when sum.IsKind(SyntaxKind.AddExpression) && IsAccumulator(sum.Left, accumulator) => sum.WithRight(DetachTerm(sum.Right)),
        BinaryExpressionSyntax sum when sum.IsKind(SyntaxKind.AddExpression) && IsAccumulator(sum.Right, accumulator) => sum.WithLeft(DetachTerm(sum.Left)),
        _ => DetachTerm(branch),
    };

    /// <summary>The operand is the accumulator itself, or <c>accumulator ?? fallback</c>.</summary>
    static bool IsAccumulator(ExpressionSyntax operand, ExpressionSyntax accumulator)
    {
        while (operand is ParenthesizedExpressionSyntax parenthesized)
            operand = parenthesized.Expression;
        if (operand is BinaryExpressionSyntax coalesce && coalesce.IsKind(SyntaxKind.CoalesceExpression))
            operand = coalesce.Left;
        return SyntaxFactory.AreEquivalent(operand, accumulator);
    }

    static ExpressionSyntax DetachTerm(ExpressionSyntax term) =>
        term is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "detach" or "detach_" } } ? term : Detach(term);

    static ExpressionSyntax Detach(ExpressionSyntax value)
    {
        var receiver = value.WithoutTrivia();
        if (receiver is not (IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax or ParenthesizedExpressionSyntax))
            receiver = SyntaxFactory.ParenthesizedExpression(receiver);
        return SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, SyntaxFactory.IdentifierName("detach")))
            .WithTriviaFrom(value);
    }
}
