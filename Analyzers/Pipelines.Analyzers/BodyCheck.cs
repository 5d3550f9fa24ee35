using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Pipelines.Rules;

namespace Pipelines.Analyzers;

/// <summary>What a method is to the engine: which checks apply to its body.</summary>
internal enum BodyRole
{
    Other,
    TrainingStep,
    ManualTrainingStep,
    ValidationStep,
    TestStep,
    Handler,
}

/// <summary>Whose body a code block is: the owning symbol, its [Pipeline] class (null outside one), and its role.</summary>
internal readonly struct BodyOwner
{
    public BodyOwner(ISymbol symbol, INamedTypeSymbol? pipeline, BodyRole role) => (Symbol, Pipeline, Role) = (symbol, pipeline, role);

    public ISymbol Symbol { get; }

    public INamedTypeSymbol? Pipeline { get; }

    public BodyRole Role { get; }
}

/// <summary>The body checks of one code block's operation tree (a method, a handler, a field initializer, top-level statements).</summary>
internal sealed class BodyCheck
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
    readonly INamedTypeSymbol? pipeline;
    readonly string owner;

    /// <summary>The checks of <paramref name="body"/>, the operation tree of a code block of <paramref name="owner"/>.</summary>
    public BodyCheck(KnownSymbols known, BodyOwner owner, IOperation body, System.Action<Diagnostic> report)
    {
        this.known = known;
        this.body = body;
        this.report = report;
        pipeline = owner.Pipeline;
        this.owner = owner.Symbol.Name;
        role = owner.Role;
    }

    bool IsStep => role is BodyRole.TrainingStep or BodyRole.ManualTrainingStep or BodyRole.ValidationStep or BodyRole.TestStep;

    bool IsTraining => role is BodyRole.TrainingStep or BodyRole.ManualTrainingStep;

    bool IsEvaluationStep => role is BodyRole.ValidationStep or BodyRole.TestStep;

    public void Run()
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
        if (invocations.Count == 0)
            return;
        invocations.Sort((a, b) => a.Syntax.SpanStart.CompareTo(b.Syntax.SpanStart));

        var firstEval = invocations.FirstOrDefault(IsEvalCall)?.Syntax.SpanStart;
        for (var i = 0; i < invocations.Count; i++)
        {
            var invocation = invocations[i];
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
                CheckManualOrder(invocations, i);
            if (method.Name == "add_" && KnownSymbols.DeclaredOn(method, known.Tensor) && invocation.Instance is { } target && invocation.Arguments.Length > 0)
                CheckAccumulation(target, invocation.Arguments[0].Value);
            if (IsCollectionAdd(invocation))
                CheckAccumulation(invocation.Instance!, invocation.Arguments[0].Value);
        }
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

    static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
            operation = conversion.Operand;
        return operation;
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

    /// <summary>
    /// A guard that turns gradients off: <c>no_grad()</c>, <c>inference_mode()</c> (not given
    /// <c>false</c>), <c>enable_grad(false)</c>, <c>set_grad_enabled(false)</c>. A flag that is not a
    /// constant counts as off: the warning is for code that certainly records a graph.
    /// </summary>
    bool IsGradFreeCall(IOperation? operation)
    {
        if (operation is null || Unwrap(operation) is not IInvocationOperation invocation || !known.IsGradModeFactory(invocation.TargetMethod))
            return false;
        bool? enabled = invocation.Arguments.Length > 0 && invocation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: bool flag } ? flag : null;
        return invocation.TargetMethod.Name switch
        {
            "no_grad" => true,
            "inference_mode" => enabled != false,
            _ => enabled != true,
        };
    }

    bool IsGradFreeResource(IOperation? resource) => resource switch
    {
        IVariableDeclarationGroupOperation group => group.Declarations.SelectMany(d => d.Declarators).Any(d => IsGradFreeCall(d.Initializer?.Value)),
        _ => IsGradFreeCall(resource),
    };

    /// <summary>Inside <c>using (torch.no_grad())</c>, or after <c>using var _ = torch.no_grad();</c> in an enclosing block.</summary>
    bool InsideGradFreeScope(IOperation operation)
    {
        for (var current = operation; current.Parent is { } parent; current = parent)
        {
            if (parent is IUsingOperation use && current != use.Resources && IsGradFreeResource(use.Resources))
                return true;
            if (parent is IBlockOperation block)
            {
                foreach (var statement in block.Operations)
                {
                    if (statement == current)
                        break;
                    if (statement is IUsingDeclarationOperation declaration && IsGradFreeResource(declaration.DeclarationGroup))
                        return true;
                }
            }
        }
        return false;
    }

    /// <summary>
    /// What happens to gradients at <paramref name="operation"/>: autograd records a graph, unless a
    /// grad-free guard discarded by an earlier statement of an enclosing block turned them off (and nothing turns them back on).
    /// </summary>
    string WhatGradientsDo(IOperation operation)
    {
        for (var current = operation; current.Parent is { } parent; current = parent)
        {
            if (parent is not IBlockOperation block)
                continue;
            foreach (var statement in block.Operations.TakeWhile(s => s != current))
            {
                var value = (statement as IExpressionStatementOperation)?.Operation;
                if (value is ISimpleAssignmentOperation { Target: IDiscardOperation } discard)
                    value = discard.Value;
                if (IsGradFreeCall(value))
                    return "'" + Unwrap(value!).Syntax + "' turned gradients off but is never disposed, so they stay off for the rest of the thread, training included; write 'using var _ = "
                        + Unwrap(value!).Syntax + ";'";
            }
        }
        return "autograd records a graph nobody back-propagates";
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

    /// <summary>A TorchSharp optimizer, an [Optimizer] member, or an optimizer parameter of a manual step (any after the batch but the state).</summary>
    bool IsOptimizerReceiver(IOperation? receiver) =>
        receiver is not null
        && (KnownSymbols.DerivesFrom(receiver.Type, known.Optimizer)
            || Referenced(receiver) switch
            {
                IParameterSymbol parameter => role == BodyRole.ManualTrainingStep && parameter.Ordinal > 0 && !StepShapes.IsStateParameter(parameter),
                { } symbol => KnownSymbols.Has(symbol, known.OptimizerAttribute),
                null => false,
            });

    bool IsOptimizerCall(IInvocationOperation invocation, string name) =>
        invocation.TargetMethod.Name == name && !invocation.TargetMethod.IsStatic && IsOptimizerReceiver(invocation.Instance);

    bool IsModuleZeroGrad(IInvocationOperation invocation) =>
        invocation.TargetMethod.Name == "zero_grad" && KnownSymbols.DeclaredOn(invocation.TargetMethod, known.Module);

    bool IsOptimization(IInvocationOperation invocation) =>
        (invocation.TargetMethod.Name == "backward" && KnownSymbols.DeclaredOn(invocation.TargetMethod, known.Tensor))
        || IsOptimizerCall(invocation, "step") || IsOptimizerCall(invocation, "zero_grad") || IsModuleZeroGrad(invocation);

    bool ZeroedBefore(List<IInvocationOperation> invocations, int index)
    {
        var optimizer = Referenced(invocations[index].Instance);
        for (var i = 0; i < index; i++)
        {
            if (IsModuleZeroGrad(invocations[i]))
                return true;
            if (IsOptimizerCall(invocations[i], "zero_grad") && (optimizer is null || SameSymbol(Referenced(invocations[i].Instance), optimizer)))
                return true;
        }
        return false;
    }

    bool IsBackward(IInvocationOperation invocation) =>
        invocation.TargetMethod.Name == "backward" && KnownSymbols.DeclaredOn(invocation.TargetMethod, known.Tensor);

    /// <summary>
    /// The order of a manual step: an optimizer's <c>step()</c> needs a <c>backward()</c> before it,
    /// and a <c>zero_grad()</c> between a <c>backward()</c> and the <c>step()</c> it feeds erases that backward's gradients.
    /// </summary>
    void CheckManualOrder(List<IInvocationOperation> invocations, int index)
    {
        var invocation = invocations[index];
        if (IsOptimizerCall(invocation, "step"))
        {
            if (!ZeroedBefore(invocations, index))
                Report(DiagnosticDescriptors.StepWithoutZeroGrad, invocation.Syntax, invocation.Instance!.Syntax.ToString(), owner);
            if (!invocations.Take(index).Any(IsBackward))
                Report(DiagnosticDescriptors.OptimizationOrder, invocation.Syntax, Describe(invocation) + "()", owner,
                    "runs before any backward(): it steps on gradients this batch has not computed; call backward() on the loss first");
            return;
        }
        var zeroesAll = IsModuleZeroGrad(invocation);
        if (!zeroesAll && !IsOptimizerCall(invocation, "zero_grad") || !invocations.Take(index).Any(IsBackward))
            return;
        var optimizer = Referenced(invocation.Instance);
        foreach (var later in invocations.Skip(index + 1))
        {
            if (IsBackward(later))
                return;
            if (IsOptimizerCall(later, "step") && (zeroesAll || optimizer is null || SameSymbol(Referenced(later.Instance), optimizer)))
            {
                Report(DiagnosticDescriptors.OptimizationOrder, invocation.Syntax, Describe(invocation) + "()", owner,
                    "runs after backward() and before '" + Describe(later) + "()': it erases the gradients the step was to apply; call it before backward()");
                return;
            }
        }
    }

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

    static ILoopOperation? EnclosingLoop(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is ILoopOperation loop)
                return loop;
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                return null;
        }
        return null;
    }

    static ISymbol? Referenced(IOperation? operation) => operation is null ? null : Unwrap(operation) switch
    {
        IFieldReferenceOperation field => field.Field,
        IPropertyReferenceOperation property => property.Property,
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        _ => null,
    };

    static bool SameSymbol(ISymbol? a, ISymbol? b) => a is not null && SymbolEqualityComparer.Default.Equals(a, b);
}
