namespace Pipelines.Generators.Model;

/// <summary>How <c>HyperparameterValues</c> records a hyperparameter's value.</summary>
internal enum HyperparameterRecording
{
    /// <summary>As a typed value (<c>Set</c>: numbers, booleans, strings and their nullable forms).</summary>
    Typed,

    /// <summary>As its text (<c>SetText</c>: any other type).</summary>
    Text,
}
