namespace Pipelines.Generators;

/// <summary>The names of the generator's incremental steps, asserted by the caching test.</summary>
internal static class TrackingNames
{
    /// <summary>[Pipeline] classes turned into value models (null for an invalid class).</summary>
    public const string PipelineModels = nameof(PipelineModels);

    /// <summary>The valid models, the input of the emit step.</summary>
    public const string ValidPipelines = nameof(ValidPipelines);

    /// <summary>Whether the compilation has at least one valid pipeline (the module initializer's input).</summary>
    public const string AnyPipeline = nameof(AnyPipeline);
}
