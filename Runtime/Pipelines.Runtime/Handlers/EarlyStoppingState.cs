namespace Pipelines.Handlers;

/// <summary>What <see cref="EarlyStopping"/> needs to resume: its counters and the best value.</summary>
/// <param name="Best">The best value seen (infinite, worst for the mode, before the first).</param>
/// <param name="BestCheck">The check (1-based) that produced <paramref name="Best"/>; 0 before the first.</param>
/// <param name="Checks">Values seen so far.</param>
/// <param name="Wait">Checks since the last significant improvement.</param>
/// <param name="Stopped">Whether it has asked the run to stop.</param>
public readonly record struct EarlyStoppingState(double Best, int BestCheck, int Checks, int Wait, bool Stopped);
