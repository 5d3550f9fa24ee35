using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Pipelines.Rules;

namespace Pipelines.Generators.Model;

/// <summary>A [Metric] member's model: the phases whose step reaches it decide where it is reset, computed and keyed.</summary>
internal sealed class MetricModelBuilder
{
    readonly HashSet<string> training, validation, test;

    public MetricModelBuilder(INamedTypeSymbol type, StepMethods steps, CancellationToken cancellationToken)
    {
        training = PipelineRules.NamesReachedFrom(type, [steps.Training], cancellationToken);
        validation = PipelineRules.NamesReachedFrom(type, steps.Validation is null ? [] : [steps.Validation], cancellationToken);
        test = PipelineRules.NamesReachedFrom(type, steps.Test is null ? [] : [steps.Test], cancellationToken);
    }

    /// <summary>The metric, and whether checkpoints carry its accumulators (a training metric with a checkpoint state).</summary>
    public (MetricModel Metric, bool Checkpointed) Build(ISymbol member)
    {
        var type = PipelineRules.MemberType(member)!;
        var phases = MetricPhases.None;
        if (training.Contains(member.Name))
            phases |= MetricPhases.Training;
        if (test.Contains(member.Name))
            phases |= MetricPhases.Test;
        // A metric no step mentions is a validation metric (updated from a handler, say).
        if (validation.Contains(member.Name) || phases == MetricPhases.None)
            phases |= MetricPhases.Validation;
        var result = PipelineRules.MetricResult(type)!;
        var property = PipelineRules.PropertyName(member.Name);
        var metric = new MetricModel(member.Name, property, Nullable(result), phases, SnakeCase(property), result.SpecialType == SpecialType.System_Double);
        return (metric, (phases & MetricPhases.Training) != 0 && PipelineRules.IsCheckpointState(type));
    }

    /// <summary><c>validationLoss</c> -> <c>validation_loss</c>, <c>F1</c> -> <c>f1</c>: the metric's name in logs.</summary>
    static string SnakeCase(string name)
    {
        var text = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && !char.IsUpper(name[i - 1]))
                text.Append('_');
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }

    static string Nullable(ITypeSymbol type)
    {
        var display = type.ToDisplayString(DisplayFormats.Type);
        var alreadyNullable = type.NullableAnnotation == NullableAnnotation.Annotated
            || type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;
        return alreadyNullable ? display : display + "?";
    }
}
