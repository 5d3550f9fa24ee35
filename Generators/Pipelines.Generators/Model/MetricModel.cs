namespace Pipelines.Generators.Model;

/// <summary>
/// A [Metric] member: the record property it becomes, its result type, the phases whose step uses
/// it, and its logged name (snake case of the member, <c>validationLoss</c> -> <c>validation_loss</c>);
/// a metric whose result is a number gets a key per phase (<c>Metrics.Val.Accuracy</c>, <c>val/accuracy</c>).
/// </summary>
internal sealed record MetricModel(string Member, string Property, string ResultType, MetricPhases Phases, string LogName, bool IsScalar)
{
    /// <summary>Whether a step of <paramref name="phase"/> updates it.</summary>
    public bool In(MetricPhases phase) => (Phases & phase) != 0;
}
