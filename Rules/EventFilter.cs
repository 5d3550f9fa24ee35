namespace Pipelines.Rules;

/// <summary>A valid [OnEvent] filter's values: 0 where Every, Once or Before is not set, -1 where After is not.</summary>
internal readonly struct EventFilter
{
    public EventFilter(int every, int once, int before, int after) => (Every, Once, Before, After) = (every, once, before, after);

    public int Every { get; }

    public int Once { get; }

    public int Before { get; }

    public int After { get; }
}
