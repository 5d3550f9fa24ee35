using System;

namespace Pipelines.Rules;

/// <summary>
/// One event of the run: its name (an <c>Events</c> member for <c>[OnEvent]</c> methods), the
/// counter its filters count, its place in the loop, and the callback interface whose
/// <c>On</c>&lt;name&gt;<c>(in PipelineState)</c> method a member implements to take it. Every
/// handler, [OnEvent] method or callback, receives the run's <c>PipelineState</c> (an [OnEvent]
/// method may leave it out).
/// </summary>
internal sealed class EventDescriptor : IEquatable<EventDescriptor>
{
    public EventDescriptor(string name, EventCounter counter, LoopPlace place, string handlerInterface)
    {
        Name = name;
        Counter = counter;
        Place = place;
        HandlerInterface = handlerInterface;
    }

    /// <summary>The event's name, as <c>Events</c> spells it.</summary>
    public string Name { get; }

    /// <summary>What its filters count.</summary>
    public EventCounter Counter { get; }

    /// <summary>Where the loop fires it.</summary>
    public LoopPlace Place { get; }

    /// <summary>The metadata name of its callback interface.</summary>
    public string HandlerInterface { get; }

    /// <summary>The callback interface's method (<c>OnStarted</c>).</summary>
    public string CallbackMethod => "On" + Name;

    /// <summary>Whether it fires only in a pipeline with a [ValidationStep].</summary>
    public bool NeedsValidation => Place is LoopPlace.ValidationStarted or LoopPlace.ValidationCompleted;

    public bool Equals(EventDescriptor? other) =>
        other is not null && Name == other.Name && Counter == other.Counter && Place == other.Place && HandlerInterface == other.HandlerInterface;

    public override bool Equals(object? obj) => Equals(obj as EventDescriptor);

    public override int GetHashCode() => unchecked((Name.GetHashCode() * 31 + (int)Place) * 31 + HandlerInterface.GetHashCode());
}
