namespace Pipelines.Rules;

/// <summary>The run counter an event's <c>[OnEvent]</c> filters count (Ignite's semantics: both 1-based).</summary>
internal enum EventCounter
{
    /// <summary>The epoch (<c>run.Epoch</c>): run- and epoch-level events.</summary>
    Epoch,

    /// <summary>The global iteration (<c>run.Iteration</c>): the events of one training iteration.</summary>
    Iteration,
}
