using System.Collections.Generic;
using Pipelines.Generators.Model;
using Pipelines.Rules;

namespace Pipelines.Generators.Emit;

/// <summary>An [OnEvent] filter as generated code: the attribute in a comment, and the integer check on the event's counter (Ignite's semantics, counters 1-based).</summary>
internal static class FilterEmitter
{
    /// <summary>The attribute as the user wrote it (<c>[OnEvent(Events.EpochCompleted, Every = 2)]</c>).</summary>
    public static string Describe(HandlerModel h)
    {
        var parts = new List<string> { "Events." + h.Event.Name };
        if (h.Filter.Every is { } every) parts.Add("Every = " + every);
        if (h.Filter.Once is { } once) parts.Add("Once = " + once);
        if (h.Filter.Before is { } before) parts.Add("Before = " + before);
        if (h.Filter.After is { } after) parts.Add("After = " + after);
        return "[OnEvent(" + string.Join(", ", parts) + ")]";
    }

    /// <summary>The condition the call runs under, or null when the handler has no filter.</summary>
    public static string? Condition(HandlerModel h)
    {
        var counter = h.Event.Counter == EventCounter.Iteration ? "run.Iteration" : "run.Epoch";
        var filter = h.Filter;
        if (filter.Once is { } once)
            return counter + " == " + once;
        if (filter.Before is null && filter.After is null)
            return filter.Every is { } every ? counter + " % " + every + " == 0" : null;
        // With a bound, Every counts from After + 1 (an unset After is 0, as in Ignite).
        var after = filter.After ?? 0;
        var terms = new List<string> { counter + " > " + after };
        if (filter.Before is { } before)
            terms.Add(counter + " < " + before);
        if (filter.Every is { } step)
            terms.Add("(" + counter + " - " + (after + 1) + ") % " + step + " == 0");
        return string.Join(" && ", terms);
    }
}
