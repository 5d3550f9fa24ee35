using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Pipelines.Rules;

namespace Pipelines.Analyzers;

/// <summary>
/// Says why a [Pipeline] class gets no generated code: the generator's rules
/// (<see cref="PipelineRules"/>) reported as PIPE001–PIPE014, PIPE025–PIPE028 and PIPE031.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PipelineStructureAnalyzer : DiagnosticAnalyzer
{
    static readonly DiagnosticDescriptor[] ByKind =
    [
        DiagnosticDescriptors.PipelineNotPartial,
        DiagnosticDescriptors.PipelineStatic,
        DiagnosticDescriptors.MissingTrainingStep,
        DiagnosticDescriptors.DuplicateStep,
        DiagnosticDescriptors.TrainingStepSignature,
        DiagnosticDescriptors.EvaluationStepSignature,
        DiagnosticDescriptors.HandlerSignature,
        DiagnosticDescriptors.UnknownEvent,
        DiagnosticDescriptors.EventNeverFires,
        DiagnosticDescriptors.InvalidFilter,
        DiagnosticDescriptors.ModelNotModule,
        DiagnosticDescriptors.OptimizerWithoutSteps,
        DiagnosticDescriptors.MetricNotMetric,
        DiagnosticDescriptors.MetricNameCollision,
        DiagnosticDescriptors.CheckpointedWithoutState,
        DiagnosticDescriptors.HyperparameterNotCapturable,
        DiagnosticDescriptors.HyperparameterNotReadable,
        DiagnosticDescriptors.MetricNeverUpdated,
        DiagnosticDescriptors.GeneratedMemberClash,
    ];

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [.. ByKind];

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            if (start.Compilation.GetTypeByMetadataName(WellKnownNames.PipelineAttribute) is not { } pipeline)
                return;
            start.RegisterSymbolAction(context =>
            {
                var type = (INamedTypeSymbol)context.Symbol;
                if (!KnownSymbols.Has(type, pipeline))
                    return;
                foreach (var violation in PipelineRules.Check(type, context.Compilation, context.CancellationToken))
                    context.ReportDiagnostic(Diagnostic.Create(ByKind[(int)violation.Kind], violation.Location, violation.Arguments));
            }, SymbolKind.NamedType);
        });
    }
}
