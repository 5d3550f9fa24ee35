using Pipelines.Checkpoints;

namespace Pipelines;

/// <summary>
/// The one watch over a monitored value that early stopping, the plateau scheduler and best
/// checkpoints share: the mode, the smallest improvement (absolute, or relative as PyTorch's
/// plateau scheduler offers), the patience, the best value and the counters since it.
/// </summary>
internal sealed class ImprovementMonitor
{
    const string BestKey = "best";

    /// <summary>A monitor that has seen nothing: its best is the worst value for <paramref name="mode"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="mode"/> is not a defined mode.</exception>
    public ImprovementMonitor(MonitorMode mode, int patience = 0, double minDelta = 0, bool relative = false)
    {
        if (!Enum.IsDefined(mode))
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown mode.");
        Mode = mode;
        Patience = patience;
        MinDelta = minDelta;
        Relative = relative;
        Best = mode == MonitorMode.Min ? double.PositiveInfinity : double.NegativeInfinity;
    }

    /// <summary>Whether lower or higher is better.</summary>
    public MonitorMode Mode { get; }

    /// <summary>
    /// The checks without improvement its owner tolerates. Owners count it as their model does:
    /// early stopping (Lightning, Ignite) acts when <see cref="Wait"/> reaches it, the plateau
    /// scheduler (PyTorch) when <see cref="Wait"/> exceeds it.
    /// </summary>
    public int Patience { get; }

    /// <summary>The smallest change that counts as an improvement (a fraction of the best when <see cref="Relative"/>).</summary>
    public double MinDelta { get; }

    /// <summary>Whether <see cref="MinDelta"/> is relative to the best value.</summary>
    public bool Relative { get; }

    /// <summary>The best value seen (the worst possible before the first).</summary>
    public double Best { get; private set; }

    /// <summary>The check (1-based) that produced <see cref="Best"/>; 0 before the first.</summary>
    public int BestCheck { get; private set; }

    /// <summary>Values counted so far.</summary>
    public int Checks { get; private set; }

    /// <summary>Checks since the last improvement.</summary>
    public int Wait { get; private set; }

    /// <summary>Whether <paramref name="value"/> beats <paramref name="best"/> by more than <see cref="MinDelta"/> in the mode's direction.</summary>
    public bool Improves(double value, double best) => (Mode, Relative) switch
    {
        (MonitorMode.Min, true) => value < best * (1 - MinDelta),
        (MonitorMode.Max, true) => value > best * (MinDelta + 1),
        (MonitorMode.Min, false) => value < best - MinDelta,
        _ => value > best + MinDelta,
    };

    /// <summary>Counts <paramref name="value"/>; true when it improves on the best, which it then becomes.</summary>
    public bool Observe(double value)
    {
        Checks++;
        if (Improves(value, Best))
        {
            Best = value;
            BestCheck = Checks;
            Wait = 0;
            return true;
        }
        Wait++;
        return false;
    }

    /// <summary>Counts a check whose value is not compared (a non-finite value that ends the watch).</summary>
    public void Skip() => Checks++;

    /// <summary>Starts the wait over without a new best (after the plateau scheduler acted, and during its cooldown).</summary>
    public void ResetWait() => Wait = 0;

    /// <summary>Restores the best value and the counters; the caller has checked them.</summary>
    public void Restore(double best, int bestCheck, int checks, int wait)
    {
        Best = best;
        BestCheck = bestCheck;
        Checks = checks;
        Wait = wait;
    }

    /// <summary>Writes the best value under the key every monitor's owner saves it as.</summary>
    public void SaveBest(CheckpointStateWriter writer) => writer.WriteDouble(BestKey, Best);

    /// <summary>Reads a saved best value, which a later <see cref="CheckBest"/> checks.</summary>
    public static double ReadBest(CheckpointStateReader reader) => reader.GetDouble(BestKey);

    /// <summary>Rejects a saved best value that is NaN.</summary>
    /// <exception cref="CheckpointException">When <paramref name="best"/> is NaN.</exception>
    public static void CheckBest(CheckpointStateReader reader, double best)
    {
        if (double.IsNaN(best))
            throw reader.Error(BestKey, "NaN is never a best value.");
    }

}
