using static Pipelines.Analyzers.OperationFacts;

namespace Pipelines.Analyzers;

/// <summary>Tensors accumulated across iterations with their graph attached (PIPE020).</summary>
internal sealed partial class BodyCheck
{
    /// <summary>
    /// What an assignment to <paramref name="accumulator"/> adds to it: <c>x</c> in <c>t = t + x</c>,
    /// <c>t = x + t</c>, <c>t = (t ?? zeros(1)) + x</c>, and in either branch of <c>t = t is null ? x : t + x</c>; else null.
    /// </summary>
    static IOperation? Addend(ISymbol accumulator, IOperation value) => Unwrap(value) switch
    {
        IConditionalOperation conditional => Addend(accumulator, conditional.WhenTrue) ?? (conditional.WhenFalse is { } otherwise ? Addend(accumulator, otherwise) : null),
        IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } sum when Mentions(sum.LeftOperand, accumulator) => sum.RightOperand,
        IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } sum when Mentions(sum.RightOperand, accumulator) => sum.LeftOperand,
        _ => null,
    };

    /// <summary>The operand is <paramref name="accumulator"/> itself, or <c>accumulator ?? fallback</c>.</summary>
    static bool Mentions(IOperation operand, ISymbol accumulator) => Unwrap(operand) switch
    {
        ICoalesceOperation coalesce => SameSymbol(Referenced(coalesce.Value), accumulator),
        var other => SameSymbol(Referenced(other), accumulator),
    };

    /// <summary><c>list.Add(tensor)</c> on a collection of tensors.</summary>
    bool IsCollectionAdd(IInvocationOperation invocation) =>
        invocation.TargetMethod is { Name: "Add", IsStatic: false, Parameters.Length: 1 } add && invocation.Instance is not null
        && known.IsTensor(add.Parameters[0].Type) && !known.IsTensor(invocation.Instance.Type);

    /// <summary>A tensor added into a field, or into a local declared outside the loop it is added in, with its graph attached.</summary>
    void CheckAccumulation(IOperation target, IOperation value)
    {
        if (!known.IsTensor(Unwrap(value).Type) || IsDetached(value) || !OutlivesIteration(target) || InsideGradFreeScope(target))
            return;
        Report(DiagnosticDescriptors.LossAccumulatedWithGraph, value.Syntax, value.Syntax.ToString(), Unwrap(target).Syntax.ToString());
    }

    bool IsDetached(IOperation value) =>
        Unwrap(value) is IInvocationOperation { TargetMethod.Name: "detach" or "detach_" } invocation
        && KnownSymbols.DeclaredOn(invocation.TargetMethod, known.Tensor);

    bool OutlivesIteration(IOperation target)
    {
        var loop = EnclosingLoop(target);
        switch (Unwrap(target))
        {
            case IFieldReferenceOperation or IPropertyReferenceOperation:
                // The training step is the loop body; anywhere else a field must be added to in a loop.
                return IsTraining || loop is not null;
            case ILocalReferenceOperation local when loop is not null:
                var declared = local.Local.DeclaringSyntaxReferences.FirstOrDefault();
                return declared is not null && declared.SyntaxTree == loop.Syntax.SyntaxTree && !loop.Syntax.Span.Contains(declared.Span);
            default:
                return false;
        }
    }
}
