namespace Pipelines.Schedulers;

/// <summary>How <see cref="ReduceLROnPlateau"/> measures a significant improvement.</summary>
public enum ThresholdMode
{
    /// <summary>Relative: better than <c>best * (1 - threshold)</c> (min) or <c>best * (1 + threshold)</c> (max).</summary>
    Rel,

    /// <summary>Absolute: better than <c>best - threshold</c> (min) or <c>best + threshold</c> (max).</summary>
    Abs,
}
