using System.Collections.Generic;
using System.Linq;
using Pipelines.Generators.Model;
using Pipelines.Rules;

namespace Pipelines.Generators.Emit;

/// <summary>
/// Handler calls at the place an event fires: the [OnEvent] methods, each behind its filter
/// compiled to integer arithmetic on the event's counter (Ignite's semantics), and the callback
/// members whose type takes the event, all in declaration order, by direct calls.
/// </summary>
internal static class HandlerEmitter
{
    static readonly HashSet<string> IterationEvents = new()
    {
        EventNames.IterationStarted,
        EventNames.BackwardCompleted,
        EventNames.IterationCompleted,
    };

    public static bool Any(PipelineModel pipeline, string eventName) =>
        pipeline.Handlers.Any(h => h.Event == eventName) || pipeline.Callbacks.Any(c => c.Events.Contains(eventName));

    public static void Emit(IndentedWriter w, PipelineModel pipeline, string eventName)
    {
        var calls = pipeline.Handlers.Where(h => h.Event == eventName).Select(h => (h.Order, Handler: (HandlerModel?)h, Callback: (CallbackModel?)null))
            .Concat(pipeline.Callbacks.Where(c => c.Events.Contains(eventName)).Select(c => (c.Order, Handler: (HandlerModel?)null, Callback: (CallbackModel?)c)))
            .OrderBy(c => c.Order);
        foreach (var (_, h, c) in calls)
        {
            if (c is not null)
            {
                w.Line("// " + c.Member + " (" + c.Type + "): a callback for Events." + eventName);
                w.Line("this." + c.Member + ".On" + eventName + "(in state);");
                continue;
            }
            var handler = h!;
            w.Line("// " + Describe(handler) + " " + handler.Method);
            var call = (handler.IsStatic ? "" : "this.") + handler.Method + (handler.TakesState ? "(in state);" : "();");
            if (Condition(handler) is { } condition)
                w.Line("if (" + condition + ")").Indented(call);
            else
                w.Line(call);
        }
    }

    static string Describe(HandlerModel h)
    {
        var parts = new List<string> { "Events." + h.Event };
        if (h.Every > 0) parts.Add("Every = " + h.Every);
        if (h.Once > 0) parts.Add("Once = " + h.Once);
        if (h.Before > 0) parts.Add("Before = " + h.Before);
        if (h.After >= 0) parts.Add("After = " + h.After);
        return "[OnEvent(" + string.Join(", ", parts) + ")]";
    }

    static string? Condition(HandlerModel h)
    {
        var counter = IterationEvents.Contains(h.Event) ? "run.Iteration" : "run.Epoch";
        if (h.Once > 0)
            return counter + " == " + h.Once;
        var bounded = h.Before > 0 || h.After >= 0;
        if (!bounded)
            return h.Every > 0 ? counter + " % " + h.Every + " == 0" : null;
        // With a bound, Every counts from After + 1 (an unset After is 0, as in Ignite).
        var after = h.After >= 0 ? h.After : 0;
        var terms = new List<string> { counter + " > " + after };
        if (h.Before > 0)
            terms.Add(counter + " < " + h.Before);
        if (h.Every > 0)
            terms.Add("(" + counter + " - " + (after + 1) + ") % " + h.Every + " == 0");
        return string.Join(" && ", terms);
    }
}
