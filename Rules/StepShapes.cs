using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Pipelines.Rules;

/// <summary>
/// The step signatures the generator supports. Linked into the analyzers too, so that a step the
/// generator skips is exactly a step the analyzers report (PIPE005).
/// </summary>
internal static class StepShapes
{
    /// <summary>Non-generic, no ref returns, parameters by value (or <c>in PipelineState</c>).</summary>
    public static bool IsPlainMethod(IMethodSymbol method) =>
        !method.IsGenericMethod && method.Parameters.All(p => p.RefKind == RefKind.None || IsStateParameter(p)) && !method.ReturnsByRef && !method.ReturnsByRefReadonly;

    /// <summary>An <c>in PipelineState</c> parameter.</summary>
    public static bool IsStateParameter(IParameterSymbol parameter) =>
        parameter.RefKind == RefKind.In && MetadataNames.Of(parameter.Type) == WellKnownNames.PipelineState;

    /// <summary>
    /// Whether <paramref name="training"/> is a supported training step: <c>Tensor Step(TBatch[, in PipelineState])</c>,
    /// or <c>void Step(TBatch[, every [Optimizer] in declaration order][, in PipelineState])</c>.
    /// </summary>
    public static bool IsTrainingStep(IMethodSymbol training, IReadOnlyList<ITypeSymbol> optimizerTypes, Compilation compilation)
    {
        if (training.Parameters.Length == 0 || !IsPlainMethod(training) || training.Parameters[0].RefKind != RefKind.None)
            return false;
        var returnsLoss = !training.ReturnsVoid;
        if (returnsLoss && !MetadataNames.DerivesFrom(training.ReturnType, WellKnownNames.Tensor))
            return false;
        // Only a manual step (void) takes the optimizers: with a loss the engine steps them.
        return TrainingExtras(training, optimizerTypes, compilation) is { } extras && !(extras.TakesOptimizers && returnsLoss);
    }

    /// <summary>
    /// What the training step takes after the batch: every [Optimizer] in declaration order (each
    /// parameter a type its member converts to), then <c>in PipelineState</c>, each optional; null
    /// for any other shape.
    /// </summary>
    public static (bool TakesOptimizers, bool TakesState)? TrainingExtras(IMethodSymbol training, IReadOnlyList<ITypeSymbol> optimizerTypes, Compilation compilation)
    {
        var parameters = training.Parameters;
        var takesState = parameters.Length > 1 && IsStateParameter(parameters[parameters.Length - 1]);
        var optimizerParameters = parameters.Length - 1 - (takesState ? 1 : 0);
        if (optimizerParameters == 0)
            return (false, takesState);
        if (optimizerParameters != optimizerTypes.Count)
            return null;
        for (var i = 0; i < optimizerParameters; i++)
        {
            var parameter = parameters[i + 1];
            var conversion = compilation.ClassifyCommonConversion(optimizerTypes[i], parameter.Type);
            if (parameter.RefKind != RefKind.None || !(conversion.IsIdentity || (conversion.IsImplicit && conversion.IsReference)))
                return null;
        }
        return (true, takesState);
    }
}
