using static Pipelines.Analyzers.OperationFacts;

namespace Pipelines.Analyzers;

/// <summary>Whether gradients are off where a model runs: the grad-free guards and the scopes they cover (PIPE016).</summary>
internal sealed partial class BodyCheck
{
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
}
