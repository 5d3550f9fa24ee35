namespace Pipelines.Checkpoints;

/// <summary>Which scores are better: lower (a loss) or higher (an accuracy).</summary>
public enum ScoreDirection
{
    /// <summary>Lower is better (Lightning's <c>mode="min"</c>).</summary>
    Minimize,

    /// <summary>Higher is better (Lightning's <c>mode="max"</c>).</summary>
    Maximize,
}
