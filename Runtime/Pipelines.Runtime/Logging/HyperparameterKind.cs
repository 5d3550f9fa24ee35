namespace Pipelines.Logging;

/// <summary>The kinds of hyperparameter value TensorBoard's hparams plugin knows.</summary>
public enum HyperparameterKind
{
    /// <summary>A number (stored as a double).</summary>
    Number,

    /// <summary>A string.</summary>
    Text,

    /// <summary>A bool.</summary>
    Bool,
}
