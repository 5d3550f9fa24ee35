namespace Pipelines.Rules;

/// <summary>
/// Metadata names the generator looks for. The attributes' names come from the attribute types
/// (nameof, so the generator needs the abstractions only at compile time); the runtime's and
/// TorchSharp's types live in net10.0 assemblies a netstandard2.0 generator cannot reference, so
/// their names are spelled here, once. TorchSharp nests its types in the static class
/// <c>torch</c>: their metadata names join the containing types with <c>+</c>, as
/// <c>Compilation.GetTypeByMetadataName</c> and <see cref="MetadataNames.Of"/> spell them.
/// </summary>
internal static class WellKnownNames
{
    // nameof cannot name a namespace through global::; the attributes below are checked by nameof.
    const string Root = "Pipelines";

    public const string PipelineAttribute = Root + "." + nameof(global::Pipelines.PipelineAttribute);
    public const string TrainingStepAttribute = Root + "." + nameof(global::Pipelines.TrainingStepAttribute);
    public const string ValidationStepAttribute = Root + "." + nameof(global::Pipelines.ValidationStepAttribute);
    public const string TestStepAttribute = Root + "." + nameof(global::Pipelines.TestStepAttribute);
    public const string ModelAttribute = Root + "." + nameof(global::Pipelines.ModelAttribute);
    public const string OptimizerAttribute = Root + "." + nameof(global::Pipelines.OptimizerAttribute);
    public const string MetricAttribute = Root + "." + nameof(global::Pipelines.MetricAttribute);
    public const string HyperparameterAttribute = Root + "." + nameof(global::Pipelines.HyperparameterAttribute);
    public const string OnEventAttribute = Root + "." + nameof(global::Pipelines.OnEventAttribute);
    public const string CheckpointedAttribute = Root + "." + nameof(global::Pipelines.CheckpointedAttribute);
    public const string ConfigureOptimizersAttribute = Root + "." + nameof(global::Pipelines.ConfigureOptimizersAttribute);

    public const string Every = nameof(global::Pipelines.OnEventAttribute.Every);
    public const string Once = nameof(global::Pipelines.OnEventAttribute.Once);
    public const string Before = nameof(global::Pipelines.OnEventAttribute.Before);
    public const string After = nameof(global::Pipelines.OnEventAttribute.After);

    public const string PipelineState = "Pipelines.PipelineState";
    public const string Tensor = "TorchSharp.torch+Tensor";
    public const string Module = "TorchSharp.torch+nn+Module";
    public const string Optimizer = "TorchSharp.torch+optim+Optimizer";
    public const string Metric = "Pipelines.Metrics.IMetric`1";
    public const string CheckpointState = "Pipelines.Checkpoints.ICheckpointState";
    public const string BestCheckpoints = "Pipelines.Handlers.BestCheckpoints";
    public const string Disposable = "System.IDisposable";
    /// <summary>The namespace of the runtime's callback interfaces (<c>IStartedHandler</c>, ...), which <see cref="EventTable"/> names.</summary>
    public const string HandlersNamespace = "Pipelines.Handlers";
    public const string ZeroGrad = "zero_grad";
    public const string Step = "step";

    /// <summary>The generated learning-rate finder, which a member of the class with this name replaces.</summary>
    public const string FindLearningRate = "FindLearningRate";

    /// <summary>
    /// Members of the generated Hyperparameters record that a [Hyperparameter] property may not
    /// shadow (the analyzers report PIPE026 for them; the generator skips the class).
    /// </summary>
    public static readonly string[] ReservedHyperparameterProperties =
        ["Hyperparameters", "ToValues", "EqualityContract", "TryParse", "CommandLineOptions"];
}
