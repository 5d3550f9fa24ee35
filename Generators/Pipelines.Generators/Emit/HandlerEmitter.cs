using System.Collections.Generic;
using System.Linq;
using Pipelines.Generators.Model;
using Pipelines.Rules;

namespace Pipelines.Generators.Emit;

/// <summary>
/// Handler calls at a place in the loop: for the events that fire there, the [OnEvent] methods,
/// each behind its filter compiled to integer arithmetic on the event's counter (Ignite's
/// semantics), and the callback members whose type takes the event, all in declaration order,
/// by direct calls; then the trainer's callbacks (<c>FitOptions.Callbacks</c> and its defaults), by
/// one call into the runtime's per-event array of them.
/// </summary>
internal static class HandlerEmitter
{
    /// <summary>Whether anything is called at <paramref name="place"/>: a member's handler or callback, or the trainer's callbacks.</summary>
    public static bool Any(PipelineModel pipeline, LoopPlace place) =>
        TrainerCallbacksAt(pipeline, place).Any()
        || pipeline.Handlers.Any(h => h.Event.Place == place)
        || pipeline.Callbacks.Any(c => c.Events.Any(e => e.Place == place));

    public static void Emit(IndentedWriter w, PipelineModel pipeline, LoopPlace place)
    {
        var calls = new List<(int Order, HandlerModel? Handler, CallbackModel? Callback, EventDescriptor Event)>();
        foreach (var handler in pipeline.Handlers.Where(h => h.Event.Place == place))
            calls.Add((handler.Order, handler, null, handler.Event));
        foreach (var callback in pipeline.Callbacks)
            foreach (var fired in callback.Events.Where(e => e.Place == place))
                calls.Add((callback.Order, null, callback, fired));
        // Stable: a member's callbacks at one place keep the table's order.
        foreach (var call in calls.OrderBy(c => c.Order))
        {
            if (call.Callback is { } callback)
                Callback(w, callback, call.Event);
            else
                Handler(w, call.Handler!);
        }
        TrainerCallbacks(w, pipeline, place);
    }

    // One call per event into the runtime's TrainerCallbacks, which loops over its array for that event.
    static void TrainerCallbacks(IndentedWriter w, PipelineModel pipeline, LoopPlace place)
    {
        foreach (var fired in TrainerCallbacksAt(pipeline, place))
        {
            w.Line("// The trainer callbacks for Events." + fired.Name + " (FitOptions.Callbacks and its defaults)");
            w.Line("callbacks." + fired.CallbackMethod + "(in state);");
        }
    }

    // Under manual optimization the step runs its own backward: the engine has no BackwardCompleted to report.
    static IEnumerable<EventDescriptor> TrainerCallbacksAt(PipelineModel pipeline, LoopPlace place) =>
        place == LoopPlace.BackwardCompleted && FitShape.Manual(pipeline)
            ? Enumerable.Empty<EventDescriptor>()
            : EventTable.Default.Events.Where(e => e.Place == place);

    static void Callback(IndentedWriter w, CallbackModel callback, EventDescriptor fired)
    {
        w.Line("// " + callback.Member + " (" + callback.Type + "): a callback for Events." + fired.Name);
        w.Line("this." + callback.Member + "." + fired.CallbackMethod + "(in state);");
    }

    static void Handler(IndentedWriter w, HandlerModel handler)
    {
        w.Line("// " + FilterEmitter.Describe(handler) + " " + handler.Method);
        var call = (handler.IsStatic ? "" : "this.") + handler.Method + (handler.TakesState ? "(in state);" : "();");
        if (FilterEmitter.Condition(handler) is { } condition)
            w.Line("if (" + condition + ")").Indented(call);
        else
            w.Line(call);
    }
}
