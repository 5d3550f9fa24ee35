using System.Collections.Generic;
using System.Linq;

namespace Pipelines.Rules;

/// <summary>
/// The events of a run, each declared once: the generator's model builder reads which members
/// take which event from here, the loop fires each at its <see cref="LoopPlace"/>, and the
/// analyzers check [OnEvent] against it. Adding an event is one entry here (with its
/// <c>Events</c> member and callback interface) and, for a new place, one line in the loop.
/// </summary>
internal sealed class EventTable
{
    /// <summary>Ignite's events in their fire order, with the runtime's callback interfaces.</summary>
    public static EventTable Default { get; } = new(
    [
        Standard(nameof(global::Pipelines.Events.Started), EventCounter.Epoch, LoopPlace.RunStarted),
        Standard(nameof(global::Pipelines.Events.EpochStarted), EventCounter.Epoch, LoopPlace.EpochStarted),
        Standard(nameof(global::Pipelines.Events.IterationStarted), EventCounter.Iteration, LoopPlace.IterationStarted),
        Standard(nameof(global::Pipelines.Events.BackwardCompleted), EventCounter.Iteration, LoopPlace.BackwardCompleted),
        Standard(nameof(global::Pipelines.Events.IterationCompleted), EventCounter.Iteration, LoopPlace.IterationCompleted),
        Standard(nameof(global::Pipelines.Events.EpochCompleted), EventCounter.Epoch, LoopPlace.EpochCompleted),
        Standard(nameof(global::Pipelines.Events.ValidationStarted), EventCounter.Epoch, LoopPlace.ValidationStarted),
        Standard(nameof(global::Pipelines.Events.ValidationCompleted), EventCounter.Epoch, LoopPlace.ValidationCompleted),
        Standard(nameof(global::Pipelines.Events.Completed), EventCounter.Epoch, LoopPlace.RunCompleted),
        Standard(nameof(global::Pipelines.Events.Terminated), EventCounter.Epoch, LoopPlace.RunTerminated),
        Standard(nameof(global::Pipelines.Events.ExceptionRaised), EventCounter.Epoch, LoopPlace.RunFailed),
    ]);

    public EventTable(IEnumerable<EventDescriptor> events) => Events = events.ToList();

    /// <summary>The events, in table order (the order callbacks of one member are listed in).</summary>
    public IReadOnlyList<EventDescriptor> Events { get; }

    /// <summary>The event named <paramref name="name"/>, or null when the table has none.</summary>
    public EventDescriptor? Find(string name) => Events.FirstOrDefault(e => e.Name == name);

    /// <summary>This table with <paramref name="extra"/> after its events.</summary>
    public EventTable With(EventDescriptor extra) => new(Events.Concat([extra]));

    static EventDescriptor Standard(string name, EventCounter counter, LoopPlace place) =>
        new(name, counter, place, WellKnownNames.HandlersNamespace + ".I" + name + "Handler");
}
