using Pipelines.Generators.Model;

namespace Pipelines.Generators.Emit;

/// <summary>An evaluation phase as generated code names it: its metrics, public method, pass method, step attribute and noun.</summary>
internal sealed record EvaluationPhase(MetricPhases Phases, string PublicName, string PassName, string Attribute, string Noun)
{
    /// <summary>Whether <c>Fit</c> runs this phase (under <c>FitOptions.Precision</c>'s autocast).</summary>
    public bool InFit => Phases == MetricPhases.Validation;

    /// <summary>Validation: <c>Validate</c>, <c>RunValidationPass</c>, [ValidationStep].</summary>
    public static readonly EvaluationPhase Validation = new(MetricPhases.Validation, "Validate", "RunValidationPass", "[ValidationStep]", "validation");

    /// <summary>Test: <c>Test</c>, <c>RunTestPass</c>, [TestStep].</summary>
    public static readonly EvaluationPhase Test = new(MetricPhases.Test, "Test", "RunTestPass", "[TestStep]", "test");
}
