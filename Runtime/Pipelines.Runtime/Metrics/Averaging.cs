namespace Pipelines.Metrics;

/// <summary>How a per-class score becomes one number.</summary>
public enum Averaging
{
    /// <summary>The unweighted mean over classes (each class counts the same).</summary>
    Macro,

    /// <summary>From the counts pooled over classes (each example counts the same).</summary>
    Micro,
}
