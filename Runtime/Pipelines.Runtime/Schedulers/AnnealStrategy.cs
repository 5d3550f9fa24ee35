namespace Pipelines.Schedulers;

/// <summary>How <see cref="OneCycleLR"/> moves between two rates (and two momentums) within a phase.</summary>
public enum AnnealStrategy
{
    /// <summary>Half a cosine: <c>end + (start - end) * (1 + cos(pi * pct)) / 2</c>.</summary>
    Cos,

    /// <summary>A straight line: <c>start + (end - start) * pct</c>.</summary>
    Linear,
}
