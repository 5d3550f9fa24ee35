using Microsoft.CodeAnalysis;
using Pipelines.Generators.Emit;
using Pipelines.Rules;

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
    readonly EventTable events;

    /// <summary>Creates the generator over the run's events (<see cref="EventTable.Default"/>).</summary>
    public PipelineGenerator()
        : this(EventTable.Default)
    {
    }

    /// <summary>Creates the generator over another event table (tests add an event through it).</summary>
    internal PipelineGenerator(EventTable events) => this.events = events;

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var pipelines = SyntaxProviders.Pipelines(context, events);
        context.RegisterSourceOutput(pipelines, static (output, pipeline) =>
            output.AddSource(pipeline.Type.HintName, PipelineEmitter.Emit(pipeline)));
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
