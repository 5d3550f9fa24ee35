namespace Pipelines;

/// <summary>A phase of the training loop that <see cref="ProfilerMode.Simple"/> times.</summary>
public enum ProfiledPhase
{
    /// <summary>Getting the batch from the training source (waiting for a prefetched one, or loading and collating it).</summary>
    DataWait,

    /// <summary>The [TrainingStep] call under its autocast region: the forward pass and the loss (under manual optimization, the whole step).</summary>
    TrainingStep,

    /// <summary>Backward through the (scaled) loss.</summary>
    Backward,

    /// <summary>The data-parallel average of the gradients at the optimizer-step boundary (<c>FitOptions.Strategy</c> Ddp: the all-reduce over the ranks; nothing in one process).</summary>
    GradientReduce,

    /// <summary>zero_grad, unscaling, clipping and the optimizer steps (the gradient average has its own phase).</summary>
    OptimizerStep,

    /// <summary>The handlers of IterationStarted, BackwardCompleted and IterationCompleted (progress bar, loggers, schedulers, the user's).</summary>
    Callbacks,

    /// <summary>A validation pass inside <c>Fit</c>, as a whole.</summary>
    Validation,
}
