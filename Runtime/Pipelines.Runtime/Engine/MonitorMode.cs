namespace Pipelines;

/// <summary>Whether a monitored value improves by going down or up (early stopping, plateau schedulers, best checkpoints).</summary>
public enum MonitorMode
{
    /// <summary>Lower is better (a loss).</summary>
    Min,

    /// <summary>Higher is better (an accuracy).</summary>
    Max,
}
