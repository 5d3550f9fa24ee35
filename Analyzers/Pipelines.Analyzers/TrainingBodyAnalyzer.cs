using System.Collections.Immutable;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Pipelines.Analyzers;

/// <summary>
/// Training-loop misuse in method bodies (PIPE016–PIPE024 but the retired PIPE023, PIPE029, PIPE030): one pass over the operation tree of each code block,
/// comparing TorchSharp's symbols; see <see cref="BodyCheck"/>. Only the blocks
/// <see cref="BodyFilter"/> keeps are bound.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TrainingBodyAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
    [
        DiagnosticDescriptors.ForwardWithGradients,
        DiagnosticDescriptors.GuardNotDisposed,
        DiagnosticDescriptors.OptimizationInEvaluation,
        DiagnosticDescriptors.HostReadInTrainingStep,
        DiagnosticDescriptors.LossAccumulatedWithGraph,
        DiagnosticDescriptors.ForwardCalledDirectly,
        DiagnosticDescriptors.ModeChangeInStep,
        DiagnosticDescriptors.StepWithoutZeroGrad,
        DiagnosticDescriptors.OptimizationOrder,
        DiagnosticDescriptors.BackwardInAutomaticStep,
    ];

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            // A compilation that does not reference TorchSharp has nothing to misuse.
            if (KnownSymbols.From(start.Compilation) is not { } known)
                return;
            var filter = new BodyFilter(known);
            // A code block action, not an operation block action: the driver would bind every
            // body in the compilation for the latter; this binds only the blocks the filter keeps.
            start.RegisterCodeBlockAction(block =>
            {
                var owner = known.OwnerOf(block.OwningSymbol);
                if (!filter.MayMatter(owner, block.CodeBlock, block.SemanticModel))
                    return;
                foreach (var node in Executable(block.CodeBlock))
                    if (block.SemanticModel.GetOperation(node, block.CancellationToken) is { } body)
                        new BodyCheck(known, owner, body, block.ReportDiagnostic).Run();
            });
        });
    }

    /// <summary>
    /// The nodes of a code block that bind to operations: a method, accessor, constructor or
    /// top-level program as a whole; a field's or property's initializers (their declarations do not bind).
    /// </summary>
    static IEnumerable<SyntaxNode> Executable(SyntaxNode codeBlock) => codeBlock switch
    {
        BaseFieldDeclarationSyntax field => field.Declaration.Variables.Select(v => v.Initializer).OfType<SyntaxNode>(),
        PropertyDeclarationSyntax property => property.Initializer is { } initializer ? [initializer] : [],
        _ => [codeBlock],
    };
}
