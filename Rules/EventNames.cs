namespace Pipelines.Rules;

/// <summary>The names of the <c>Events</c> members, from the enum itself (nameof: no run-time reference).</summary>
internal static class EventNames
{
    public const string Started = nameof(global::Pipelines.Events.Started);
    public const string EpochStarted = nameof(global::Pipelines.Events.EpochStarted);
    public const string IterationStarted = nameof(global::Pipelines.Events.IterationStarted);
    public const string BackwardCompleted = nameof(global::Pipelines.Events.BackwardCompleted);
    public const string IterationCompleted = nameof(global::Pipelines.Events.IterationCompleted);
    public const string EpochCompleted = nameof(global::Pipelines.Events.EpochCompleted);
    public const string ValidationStarted = nameof(global::Pipelines.Events.ValidationStarted);
    public const string ValidationCompleted = nameof(global::Pipelines.Events.ValidationCompleted);
    public const string Completed = nameof(global::Pipelines.Events.Completed);
    public const string Terminated = nameof(global::Pipelines.Events.Terminated);
    public const string ExceptionRaised = nameof(global::Pipelines.Events.ExceptionRaised);
}
