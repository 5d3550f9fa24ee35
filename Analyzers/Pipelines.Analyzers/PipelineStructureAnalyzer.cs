using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Pipelines.Rules;

namespace Pipelines.Analyzers;

/// <summary>
/// Says why a [Pipeline] class gets no generated code: the generator's rules
/// (<see cref="PipelineRules"/>) reported as PIPE001–PIPE014, PIPE025–PIPE028, PIPE031, PIPE033 and PIPE035; and,
/// for a class whose generated hyperparameter constructor sets a member, each constructor of the user's
/// that does not chain to it (PIPE032).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PipelineStructureAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
    [
        .. ((PipelineViolationKind[])Enum.GetValues(typeof(PipelineViolationKind))).Select(Descriptor),
        DiagnosticDescriptors.ConstructorNotChained,
    ];

    /// <summary>The diagnostic that reports a violation of <paramref name="kind"/>.</summary>
    static DiagnosticDescriptor Descriptor(PipelineViolationKind kind) => kind switch
    {
        PipelineViolationKind.NotPartial => DiagnosticDescriptors.PipelineNotPartial,
        PipelineViolationKind.Static => DiagnosticDescriptors.PipelineStatic,
        PipelineViolationKind.MissingTrainingStep => DiagnosticDescriptors.MissingTrainingStep,
        PipelineViolationKind.DuplicateStep => DiagnosticDescriptors.DuplicateStep,
        PipelineViolationKind.TrainingStepSignature => DiagnosticDescriptors.TrainingStepSignature,
        PipelineViolationKind.EvaluationStepSignature => DiagnosticDescriptors.EvaluationStepSignature,
        PipelineViolationKind.HandlerSignature => DiagnosticDescriptors.HandlerSignature,
        PipelineViolationKind.UnknownEvent => DiagnosticDescriptors.UnknownEvent,
        PipelineViolationKind.EventNeverFires => DiagnosticDescriptors.EventNeverFires,
        PipelineViolationKind.InvalidFilter => DiagnosticDescriptors.InvalidFilter,
        PipelineViolationKind.ModelNotModule => DiagnosticDescriptors.ModelNotModule,
        PipelineViolationKind.OptimizerWithoutSteps => DiagnosticDescriptors.OptimizerWithoutSteps,
        PipelineViolationKind.MetricNotMetric => DiagnosticDescriptors.MetricNotMetric,
        PipelineViolationKind.MetricNameCollision => DiagnosticDescriptors.MetricNameCollision,
        PipelineViolationKind.CheckpointedWithoutState => DiagnosticDescriptors.CheckpointedWithoutState,
        PipelineViolationKind.HyperparameterNotCapturable => DiagnosticDescriptors.HyperparameterNotCapturable,
        PipelineViolationKind.HyperparameterNotReadable => DiagnosticDescriptors.HyperparameterNotReadable,
        PipelineViolationKind.MetricNeverUpdated => DiagnosticDescriptors.MetricNeverUpdated,
        PipelineViolationKind.GeneratedMemberClash => DiagnosticDescriptors.GeneratedMemberClash,
        PipelineViolationKind.HyperparameterSettable => DiagnosticDescriptors.HyperparameterSettable,
        PipelineViolationKind.UnsupportedBatchType => DiagnosticDescriptors.UnsupportedBatchType,
        PipelineViolationKind.ConfigureOptimizersSignature => DiagnosticDescriptors.ConfigureOptimizersSignature,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "A structure rule with no diagnostic"),
    };

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            if (start.Compilation.GetTypeByMetadataName(WellKnownNames.PipelineAttribute) is not { } pipeline)
                return;
            start.RegisterSymbolStartAction(symbolStart =>
            {
                var type = (INamedTypeSymbol)symbolStart.Symbol;
                if (!KnownSymbols.Has(type, pipeline))
                    return;
                // Each constructor of the user's, and the constructor of the class it chains to with ': this(...)' (null: none, or ': base(...)').
                var chains = HyperparameterConstructor.MustChain(type)
                    ? new ConcurrentDictionary<IMethodSymbol, IMethodSymbol?>(SymbolEqualityComparer.Default)
                    : null;
                if (chains is not null)
                    symbolStart.RegisterOperationAction(context => RecordChain((IConstructorBodyOperation)context.Operation, context.ContainingSymbol, type, chains), OperationKind.ConstructorBody);
                symbolStart.RegisterSymbolEndAction(context =>
                {
                    var violations = PipelineRules.Check(type, context.Compilation, context.CancellationToken);
                    foreach (var violation in violations)
                        context.ReportDiagnostic(Diagnostic.Create(Descriptor(violation.Kind), violation.Location, violation.Arguments));
                    // A class the generator skips gets no constructor to chain to.
                    if (chains is null || violations.Any(v => v.BlocksGeneration))
                        return;
                    foreach (var constructor in chains.Keys)
                        if (!ReachesGenerated(constructor, type, chains))
                            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ConstructorNotChained, constructor.Locations[0],
                                type.Name + "(" + string.Join(", ", constructor.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat))) + ")",
                                type.Name));
                });
            }, SymbolKind.NamedType);
        });
    }

    /// <summary>
    /// Records what an instance constructor declared in the class chains to; one whose
    /// <c>this(...)</c> does not bind (the compiler reports that) is left out, so it is not reported.
    /// </summary>
    static void RecordChain(IConstructorBodyOperation body, ISymbol containing, INamedTypeSymbol type, ConcurrentDictionary<IMethodSymbol, IMethodSymbol?> chains)
    {
        if (body.Syntax is not ConstructorDeclarationSyntax { Initializer: var initializer }
            || containing is not IMethodSymbol { MethodKind: MethodKind.Constructor } constructor)
            return;
        if (initializer is null || !initializer.IsKind(SyntaxKind.ThisConstructorInitializer))
            chains[constructor] = null;
        else if (body.Initializer is IExpressionStatementOperation { Operation: IInvocationOperation { TargetMethod: var target } }
            && SymbolEqualityComparer.Default.Equals(target.ContainingType, type))
            chains[constructor] = target;
    }

    /// <summary>Whether <paramref name="constructor"/> reaches the generated constructor through <c>this(...)</c> chains.</summary>
    static bool ReachesGenerated(IMethodSymbol constructor, INamedTypeSymbol type, ConcurrentDictionary<IMethodSymbol, IMethodSymbol?> chains)
    {
        var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        for (IMethodSymbol? current = constructor; current is not null && seen.Add(current);)
        {
            if (HyperparameterConstructor.Takes(current, type))
                return true;
            // A constructor not recorded is not the user's to check (or does not bind): give it the benefit of the doubt.
            if (!chains.TryGetValue(current, out current))
                return true;
        }
        return false;
    }
}
