namespace Pipelines.Generated;

/// <summary>Converts the texts matched to a pipeline's hyperparameter options (the generated <c>Hyperparameters.TryBind</c>).</summary>
/// <typeparam name="THyperparameters">The pipeline's generated hyperparameters record.</typeparam>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public delegate bool HyperparameterBinder<THyperparameters>(ReadOnlySpan<string?> values, TextWriter error,
    [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out THyperparameters? hyperparameters, out int exitCode);
