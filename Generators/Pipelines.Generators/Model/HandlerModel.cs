using Pipelines.Rules;

namespace Pipelines.Generators.Model;

/// <summary>One [OnEvent] attribute on a method: the event, whether the method takes the state, its filter, and its position among the class's members.</summary>
internal sealed record HandlerModel(string Method, bool IsStatic, EventDescriptor Event, bool TakesState, EventFilter Filter, int Order);
