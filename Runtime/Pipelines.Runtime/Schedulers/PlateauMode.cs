namespace Pipelines.Schedulers;

/// <summary>Whether a monitored value improves by going down or up.</summary>
public enum PlateauMode
{
    /// <summary>Lower is better (a loss).</summary>
    Min,

    /// <summary>Higher is better (an accuracy).</summary>
    Max,
}
