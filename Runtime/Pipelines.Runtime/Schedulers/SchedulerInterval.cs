namespace Pipelines.Schedulers;

/// <summary>What one step of a learning-rate scheduler counts (declared when the scheduler is made).</summary>
public enum SchedulerInterval
{
    /// <summary>Epochs: <c>Step(in state)</c> follows <c>state.Epoch</c> (call it from EpochCompleted).</summary>
    Epoch,

    /// <summary>Optimizer steps: <c>Step(in state)</c> follows <c>state.OptimizerSteps</c> (call it from IterationCompleted; under gradient accumulation it advances only when the optimizer stepped).</summary>
    OptimizerStep,
}
