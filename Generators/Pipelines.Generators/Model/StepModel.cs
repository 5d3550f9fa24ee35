using Pipelines.Rules;

namespace Pipelines.Generators.Model;

/// <summary>
/// A step method: its name, whether it is static, how its batch argument is fed (and the type it
/// takes, which a <see cref="BatchFeed.Constructor"/> feed creates), and what it takes after the
/// batch: the [Optimizer] members in declaration order (manual optimization) and/or <c>in PipelineState</c>.
/// </summary>
internal sealed record StepModel(string Name, bool IsStatic, BatchFeed Feed, string BatchType, bool TakesOptimizers = false, bool TakesState = false)
{
    /// <summary>Whether the argument is built from the source's <c>Batch</c> at the call site (a tuple or a constructed type), so the batch must be in a local.</summary>
    public bool Converts => Feed is BatchFeed.Tuple or BatchFeed.Constructor;

    /// <summary>How generated code calls it with <paramref name="batch"/> (and the optimizers and the state when it takes them).</summary>
    public string Call(string batch, EquatableArray<string> optimizers = default)
    {
        var arguments = Feed switch
        {
            // A tuple and a struct are built on the stack; a class is one allocation per call.
            BatchFeed.Tuple => "(" + batch + ".Input, " + batch + ".Target)",
            BatchFeed.Constructor => "new " + BatchType + "(" + batch + ".Input, " + batch + ".Target)",
            _ => batch,
        };
        if (TakesOptimizers)
            foreach (var optimizer in optimizers)
                arguments += ", this." + optimizer;
        if (TakesState)
            arguments += ", in state";
        return (IsStatic ? "" : "this.") + Name + "(" + arguments + ")";
    }
}
