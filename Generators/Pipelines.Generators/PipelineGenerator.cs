using Microsoft.CodeAnalysis;
using Pipelines.Generators.Emit;

namespace Pipelines.Generators;

/// <summary>
/// Writes, for each valid [Pipeline] partial class, its <c>Fit</c>, <c>Validate</c> and
/// <c>Test</c> methods and its typed metrics record, and once per assembly that has one, the
/// module initializer that prepares libtorch before the assembly's first TorchSharp call. Reports
/// nothing: an invalid class gets no code, and the analyzers explain why.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class PipelineGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var pipelines = SyntaxProviders.Pipelines(context);
        context.RegisterSourceOutput(pipelines, static (output, pipeline) =>
            output.AddSource(pipeline.HintName, PipelineEmitter.Emit(pipeline)));
        var anyPipeline = pipelines.Collect()
            .Select(static (all, _) => !all.IsDefaultOrEmpty)
            .WithTrackingName(TrackingNames.AnyPipeline);
        context.RegisterSourceOutput(anyPipeline, static (output, any) =>
        {
            if (any)
                output.AddSource(LibTorchRuntimeInitializerEmitter.HintName, LibTorchRuntimeInitializerEmitter.Source);
        });
    }
}
