namespace Pipelines;

/// <summary>The comparisons every monitor of a value shares (early stopping, plateau schedulers, best checkpoints).</summary>
public static class MonitorModes
{
    /// <summary>The value every real one improves on: +infinity when lower is better, -infinity when higher is.</summary>
    public static double Worst(this MonitorMode mode) => mode == MonitorMode.Min ? double.PositiveInfinity : double.NegativeInfinity;

    /// <summary>Whether <paramref name="value"/> beats <paramref name="best"/> by more than <paramref name="minDelta"/> in the mode's direction.</summary>
    public static bool Improves(this MonitorMode mode, double value, double best, double minDelta) =>
        mode == MonitorMode.Min ? value < best - minDelta : value > best + minDelta;
}
