namespace Pipelines.Rules;

/// <summary>A valid [OnEvent] filter: each of Every, Once, Before and After, or null where the attribute does not set it.</summary>
internal readonly struct EventFilter : System.IEquatable<EventFilter>
{
    public EventFilter(int? every, int? once, int? before, int? after) => (Every, Once, Before, After) = (every, once, before, after);

    public int? Every { get; }

    public int? Once { get; }

    public int? Before { get; }

    public int? After { get; }

    public bool Equals(EventFilter other) => Every == other.Every && Once == other.Once && Before == other.Before && After == other.After;

    public override bool Equals(object? obj) => obj is EventFilter other && Equals(other);

    public override int GetHashCode() => unchecked((((Every ?? -1) * 31 + (Once ?? -1)) * 31 + (Before ?? -1)) * 31 + (After ?? -1));
}
