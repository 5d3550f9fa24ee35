namespace Pipelines;

/// <summary>
/// The events of a training run, in PyTorch Ignite's order. Epoch-level events are counted in
/// epochs, iteration-level events (<see cref="IterationStarted"/>, <see cref="BackwardCompleted"/>,
/// <see cref="IterationCompleted"/>) in global iterations. Each member has one entry in the
/// generator's event table (its counter and place in the loop) and a callback interface in
/// <c>Pipelines.Handlers</c>, <c>I</c>&lt;member&gt;<c>Handler</c>.
/// </summary>
public enum Events
{
    /// <summary>Once, before the first epoch.</summary>
    Started,

    /// <summary>At the start of every epoch, after the models are put in training mode.</summary>
    EpochStarted,

    /// <summary>At the start of every training iteration, after its batch is fetched.</summary>
    IterationStarted,

    /// <summary>After the loss of a training iteration has been back-propagated, before the optimizer step.</summary>
    BackwardCompleted,

    /// <summary>At the end of every training iteration, after the optimizer step (if any).</summary>
    IterationCompleted,

    /// <summary>At the end of every epoch, after its validation (if any); skipped when the epoch was terminated.</summary>
    EpochCompleted,

    /// <summary>Before a validation pass, in eval mode and without gradients.</summary>
    ValidationStarted,

    /// <summary>After a validation pass, once its metrics are computed.</summary>
    ValidationCompleted,

    /// <summary>Once, when the run ends (normally or after <c>Terminate()</c>).</summary>
    Completed,

    /// <summary>Once, when the run ends because a handler called <c>Terminate()</c>, before <see cref="Completed"/>.</summary>
    Terminated,

    /// <summary>When a step or handler throws; the exception propagates after these handlers run.</summary>
    ExceptionRaised,
}
