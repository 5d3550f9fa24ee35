namespace Pipelines.Rules;

/// <summary>
/// The places in the generated loop where events fire. Each place is written once by the loop's
/// emitters; the events of <see cref="EventTable"/> say where they fire, so an event added at an
/// existing place needs no emitter change.
/// </summary>
internal enum LoopPlace
{
    /// <summary>After a resume was restored, before the first epoch.</summary>
    RunStarted,

    /// <summary>At the start of an epoch, in training mode.</summary>
    EpochStarted,

    /// <summary>After an iteration's batch is fetched.</summary>
    IterationStarted,

    /// <summary>After backward (or a manual step), before the optimizer step.</summary>
    BackwardCompleted,

    /// <summary>After an iteration's optimizer step (if one was due).</summary>
    IterationCompleted,

    /// <summary>Before a validation pass.</summary>
    ValidationStarted,

    /// <summary>After a validation pass and its metrics.</summary>
    ValidationCompleted,

    /// <summary>At the end of an epoch that was not terminated.</summary>
    EpochCompleted,

    /// <summary>When the run ends because a handler asked it to terminate.</summary>
    RunTerminated,

    /// <summary>When the run ends, normally or terminated.</summary>
    RunCompleted,

    /// <summary>When a step or handler throws, before the exception propagates.</summary>
    RunFailed,
}
