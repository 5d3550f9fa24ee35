namespace Pipelines.Checkpoints;

/// <summary>
/// Where a run stood when a checkpoint was written, in the engine's terms: all
/// counters 1-based, 0 before the first. <see cref="EpochIteration"/> 0 means "at an epoch
/// boundary" (the epoch <see cref="Epoch"/> is complete); a positive value means "inside epoch
/// <see cref="Epoch"/>, after that many of its training iterations".
/// </summary>
/// <param name="Epoch">The current (or last completed) epoch.</param>
/// <param name="Iteration">The global training iteration.</param>
/// <param name="EpochIteration">Training iterations done in <paramref name="Epoch"/> (0 at a boundary).</param>
/// <param name="OptimizerSteps">Optimizer steps taken.</param>
public readonly record struct CheckpointCounters(int Epoch, int Iteration, int EpochIteration, int OptimizerSteps)
{
    /// <summary>Whether the checkpoint was written inside an epoch rather than at its end.</summary>
    public bool IsMidEpoch => EpochIteration > 0;
}
