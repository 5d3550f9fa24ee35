namespace Pipelines.Data;

/// <summary>
/// Where a <see cref="BatchLoader"/> stands, for checkpoints: the shuffling seed, the current pass
/// (1-based; 0 before the first) and how many of its batches were handed out. The order of a pass
/// depends only on (seed, epoch), so restoring this state replays the interrupted pass exactly.
/// </summary>
/// <param name="Seed">The seed of the shuffling and of the random transforms.</param>
/// <param name="Epoch">The current pass, 1-based (0 before the first <c>StartPass</c>).</param>
/// <param name="Position">The number of batches of that pass already handed out (the next batch's index).</param>
public readonly record struct BatchLoaderState(long Seed, int Epoch, int Position);
