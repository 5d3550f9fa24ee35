using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Pipelines.Analyzers;

/// <summary>
/// Training-loop misuse in method bodies (PIPE015–PIPE024): one pass over each operation block,
/// comparing the binding's symbols; see <see cref="BodyCheck"/>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TrainingBodyAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
    [
        DiagnosticDescriptors.UnknownMonitoredMetric,
        DiagnosticDescriptors.ForwardWithGradients,
        DiagnosticDescriptors.GuardNotDisposed,
        DiagnosticDescriptors.OptimizationInEvaluation,
        DiagnosticDescriptors.HostReadInTrainingStep,
        DiagnosticDescriptors.LossAccumulatedWithGraph,
        DiagnosticDescriptors.ForwardCalledDirectly,
        DiagnosticDescriptors.ModeChangeInStep,
        DiagnosticDescriptors.FactoryWithoutDevice,
        DiagnosticDescriptors.StepWithoutZeroGrad,
    ];

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            // A compilation that does not reference the binding has nothing to misuse.
            if (KnownSymbols.From(start.Compilation) is not { } known)
                return;
            start.RegisterOperationBlockAction(block => new BodyCheck(known, block).Run());
        });
    }
}
