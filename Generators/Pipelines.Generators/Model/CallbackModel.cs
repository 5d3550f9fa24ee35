using Pipelines.Rules;

namespace Pipelines.Generators.Model;

/// <summary>
/// A member whose type takes part in the run by implementing the runtime's callback interfaces
/// (<c>IStartedHandler</c>, <c>IIterationCompletedHandler</c>, ...): the events it takes, and its
/// position among the class's members, so callbacks and [OnEvent] methods of one event run in
/// declaration order. A <c>BestCheckpoints</c> member is a keeper.
/// </summary>
internal sealed record CallbackModel(string Member, string Type, int Order, EquatableArray<EventDescriptor> Events, bool IsKeeper);
