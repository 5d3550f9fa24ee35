namespace Pipelines.Generators.Model;

/// <summary>The members the loop uses, each list in declaration order: [Model], [Optimizer], [Metric] and [Hyperparameter] members, and the disposable ones the pipeline owns.</summary>
internal sealed record MembersModel(
    EquatableArray<string> Models,
    EquatableArray<string> Optimizers,
    EquatableArray<MetricModel> Metrics,
    EquatableArray<HyperparameterModel> Hyperparameters,
    EquatableArray<string> Disposables);
