using static Pipelines.Analyzers.OperationFacts;

namespace Pipelines.Analyzers;

/// <summary>
/// The body checks of one code block's operation tree (a method, a handler, a field initializer,
/// top-level statements): module runs, guards, mode changes and host reads here; accumulation,
/// manual optimization and gradient scopes in the other parts of this class.
/// </summary>
internal sealed partial class BodyCheck
{
    /// <summary>
    /// TorchSharp's tensor methods that copy values to the host, so wait for the device: on the
    /// tensor (<c>item&lt;T&gt;()</c>, <c>data&lt;T&gt;()</c>, <c>tolist()</c>, <c>ToString(style)</c>, ...)
    /// and its extension methods (<c>ToSingle()</c>, <c>str()</c>, <c>print()</c>, ...),
    /// and a metric's <c>Compute()</c>. A plain <c>ToString()</c> (and so <c>$"{loss}"</c>) prints
    /// only the shape, dtype and device: see <see cref="IsHostRead"/>.
    /// </summary>
    public static readonly HashSet<string> HostReads =
    [
        "item", "data", "tolist", "ToString", "ToScalar", "str", "jlstr", "npstr", "cstr", "print", "Compute",
        "ToSingle", "ToDouble", "ToHalf", "ToBFloat16", "ToByte", "ToSByte", "ToInt16", "ToInt32", "ToInt64", "ToBoolean",
        "ToComplex32", "ToComplex64", "ToComplexFloat32", "ToComplexFloat64",
    ];

    readonly KnownSymbols known;
    readonly IOperation body;
    readonly System.Action<Diagnostic> report;
    readonly BodyRole role;
    readonly string owner;

    /// <summary>The checks of <paramref name="body"/>, the operation tree of a code block of <paramref name="owner"/>.</summary>
    public BodyCheck(KnownSymbols known, BodyOwner owner, IOperation body, System.Action<Diagnostic> report)
    {
        this.known = known;
        this.body = body;
        this.report = report;
        this.owner = owner.Symbol.Name;
        role = owner.Role;
    }

    bool IsStep => role is BodyRole.TrainingStep or BodyRole.ManualTrainingStep or BodyRole.ValidationStep or BodyRole.TestStep;

    bool IsTraining => role is BodyRole.TrainingStep or BodyRole.ManualTrainingStep;

    bool IsEvaluationStep => role is BodyRole.ValidationStep or BodyRole.TestStep;

    /// <summary>Reports every problem of the body.</summary>
    public void Run()
    {
        var invocations = CheckAssignmentsAndCollectInvocations();
        if (invocations.Count == 0)
            return;
        invocations.Sort((a, b) => a.Syntax.SpanStart.CompareTo(b.Syntax.SpanStart));
        var firstEval = invocations.FirstOrDefault(IsEvalCall)?.Syntax.SpanStart;
        for (var i = 0; i < invocations.Count; i++)
            CheckInvocation(invocations, i, firstEval);
    }

    /// <summary>Checks accumulations and <c>bytes</c> reads on the way; returns the invocations for the checks that need their order.</summary>
    List<IInvocationOperation> CheckAssignmentsAndCollectInvocations()
    {
        var invocations = new List<IInvocationOperation>();
        foreach (var operation in body.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IInvocationOperation invocation:
                    invocations.Add(invocation);
                    break;
                case ICompoundAssignmentOperation compound when compound.OperatorKind == BinaryOperatorKind.Add && known.IsTensor(compound.Target.Type):
                    CheckAccumulation(compound.Target, compound.Value);
                    break;
                case ISimpleAssignmentOperation assignment when known.IsTensor(assignment.Target.Type)
                    && Referenced(assignment.Target) is { } accumulator && Addend(accumulator, assignment.Value) is { } addend:
                    CheckAccumulation(assignment.Target, addend);
                    break;
                case IPropertyReferenceOperation { Property.Name: "bytes" } bytes when IsTraining && known.IsTensor(bytes.Property.ContainingType):
                    Report(DiagnosticDescriptors.HostReadInTrainingStep, bytes.Syntax, bytes.Syntax.ToString(), owner);
                    break;
            }
        }
        return invocations;
    }

    /// <summary>The checks of one call; <paramref name="firstEval"/> is where the body first switches a module to evaluation.</summary>
    void CheckInvocation(List<IInvocationOperation> invocations, int index, int? firstEval)
    {
        var invocation = invocations[index];
        var method = invocation.TargetMethod;
        if (known.IsGuardFactory(method))
            CheckGuard(invocation);
        if (known.IsModuleRun(method))
        {
            if (method.Name == "forward" && invocation.Instance is { } receiver and not IInstanceReferenceOperation
                && HasMatchingCall(method))
                Report(DiagnosticDescriptors.ForwardCalledDirectly, invocation.Syntax, receiver.Syntax.ToString());
            var evaluation = role == BodyRole.Handler || (!IsEvaluationStep && firstEval is { } eval && eval < invocation.Syntax.SpanStart);
            if (evaluation && !InsideGradFreeScope(invocation))
                Report(DiagnosticDescriptors.ForwardWithGradients, invocation.Syntax, Describe(invocation), owner, WhatGradientsDo(invocation));
        }
        if (IsEvaluationStep && IsOptimization(invocation))
            Report(DiagnosticDescriptors.OptimizationInEvaluation, invocation.Syntax, Describe(invocation) + "()", role == BodyRole.ValidationStep ? "validation" : "test", owner);
        if (IsStep && (IsEvalCall(invocation) || (method.Name == "train" && KnownSymbols.DeclaredOn(method, known.Module))))
            Report(DiagnosticDescriptors.ModeChangeInStep, invocation.Syntax, Describe(invocation) + "()", owner);
        if (IsTraining && IsHostRead(invocation))
            Report(DiagnosticDescriptors.HostReadInTrainingStep, invocation.Syntax, Describe(invocation) + "()", owner);
        if (role == BodyRole.TrainingStep && IsBackward(invocation))
            Report(DiagnosticDescriptors.BackwardInAutomaticStep, invocation.Syntax, Describe(invocation) + "()", owner);
        if (role == BodyRole.ManualTrainingStep)
            CheckManualOrder(invocations, index);
        if (method.Name == "add_" && KnownSymbols.DeclaredOn(method, known.Tensor) && invocation.Instance is { } target && invocation.Arguments.Length > 0)
            CheckAccumulation(target, invocation.Arguments[0].Value);
        if (IsCollectionAdd(invocation))
            CheckAccumulation(invocation.Instance!, invocation.Arguments[0].Value);
    }

    void Report(DiagnosticDescriptor descriptor, SyntaxNode node, params object[] arguments) =>
        report(Diagnostic.Create(descriptor, node.GetLocation(), arguments));

    static string Describe(IInvocationOperation invocation) =>
        Receiver(invocation) is { IsImplicit: false } receiver
            ? receiver.Syntax + "." + invocation.TargetMethod.Name
            : invocation.TargetMethod.Name;

    /// <summary>What the method is called on: the instance, or the first argument of an extension method (<c>loss.ToSingle()</c>).</summary>
    static IOperation? Receiver(IInvocationOperation invocation) =>
        invocation.Instance
        ?? (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? Unwrap(invocation.Arguments[0].Value) : null);

    /// <summary>A <c>call</c> with the same parameter types as this <c>forward</c>, so the rewrite compiles.</summary>
    static bool HasMatchingCall(IMethodSymbol forward)
    {
        for (var type = forward.ContainingType; type is not null; type = type.BaseType)
            foreach (var candidate in type.GetMembers("call"))
                if (candidate is IMethodSymbol { IsStatic: false } call && call.Parameters.Length == forward.Parameters.Length
                    && call.Parameters.Zip(forward.Parameters, (a, b) => SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(same => same))
                    return true;
        return false;
    }

    /// <summary>
    /// A call that copies tensor values to the host. <c>ToString</c> counts only with arguments
    /// that print the values: TorchSharp's <c>ToString()</c>, <c>ToString(false)</c> and
    /// <c>ToString(TensorStringStyle.Metadata)</c> print the shape, dtype and device, read without
    /// touching the data.
    /// </summary>
    bool IsHostRead(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method.Name == "Compute")
            return known.IsMetricMethod(method);
        if (!HostReads.Contains(method.Name) || !known.IsTensorMethod(method))
            return false;
        if (method.Name != "ToString")
            return true;
        var first = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0);
        return first is not null && first.Value.ConstantValue is not { HasValue: true, Value: false or 0 };
    }

    bool IsEvalCall(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (!KnownSymbols.DeclaredOn(method, known.Module))
            return false;
        return method.Name == "eval"
            || (method.Name == "train" && invocation.Arguments.Length == 1 && invocation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: false });
    }

    void CheckGuard(IInvocationOperation invocation)
    {
        IOperation current = invocation;
        var parent = current.Parent;
        while (parent is IConversionOperation)
        {
            current = parent;
            parent = parent.Parent;
        }
        string? problem = parent switch
        {
            IExpressionStatementOperation => "discarded",
            ISimpleAssignmentOperation { Target: IDiscardOperation } => "discarded",
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }
                when declarator.Parent?.Parent?.Parent is not (IUsingDeclarationOperation or IUsingOperation) =>
                "stored in '" + declarator.Symbol.Name + "' without 'using'",
            _ => null,
        };
        if (problem is not null)
            Report(DiagnosticDescriptors.GuardNotDisposed, invocation.Syntax, invocation.Syntax.ToString(), problem);
    }
}
