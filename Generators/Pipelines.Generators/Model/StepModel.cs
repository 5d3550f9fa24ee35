namespace Pipelines.Generators.Model;

/// <summary>
/// A step method: its name, whether it is static, and what it takes after the batch: the
/// [Optimizer] members in declaration order (manual optimization) and/or <c>in PipelineState</c>.
/// </summary>
internal sealed record StepModel(string Name, bool IsStatic, bool TakesOptimizers = false, bool TakesState = false)
{
    /// <summary>How generated code calls it with <paramref name="batch"/> (and the optimizers and the state when it takes them).</summary>
    public string Call(string batch, EquatableArray<string> optimizers = default)
    {
        var arguments = batch;
        if (TakesOptimizers)
            foreach (var optimizer in optimizers)
                arguments += ", this." + optimizer;
        if (TakesState)
            arguments += ", in state";
        return (IsStatic ? "" : "this.") + Name + "(" + arguments + ")";
    }
}
