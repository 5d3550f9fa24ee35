using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Pipelines.Generators.Model;
using Pipelines.Rules;

namespace Pipelines.Generators;

/// <summary>The generator's inputs: every class that carries [Pipeline], as a value model.</summary>
internal static class SyntaxProviders
{
    public static IncrementalValuesProvider<PipelineModel> Pipelines(IncrementalGeneratorInitializationContext context, EventTable events) =>
        context.SyntaxProvider
            .ForAttributeWithMetadataName(
                WellKnownNames.PipelineAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                (syntax, cancellationToken) => PipelineModelBuilder.Build(syntax, events, cancellationToken))
            .WithTrackingName(TrackingNames.PipelineModels)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.ValidPipelines);
}
