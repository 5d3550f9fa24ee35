using Pipelines.Rules;
using static Pipelines.Analyzers.OperationFacts;

namespace Pipelines.Analyzers;

/// <summary>Optimizer calls: none in evaluation steps (PIPE018), and their order in a manual-optimization step (PIPE024, PIPE029).</summary>
internal sealed partial class BodyCheck
{
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
}
