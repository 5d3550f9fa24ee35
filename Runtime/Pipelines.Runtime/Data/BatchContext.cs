namespace Pipelines.Data;

/// <summary>
/// Which batch a transform is applied to: random transforms derive their draws from (their seed,
/// <see cref="Epoch"/>, <see cref="Index"/>), so the same batch gets the same augmentation whatever
/// thread builds it and after a resume.
/// </summary>
/// <param name="Seed">
/// The loader's seed (random transforms without a seed of their own use it); on rank r &gt; 0 of a
/// <see cref="BatchLoaderOptions.Shard"/>, a seed derived from it and r, so that the ranks' batches
/// are augmented independently.
/// </param>
/// <param name="Epoch">The pass, 1-based.</param>
/// <param name="Index">The batch's index in the pass, 0-based.</param>
public readonly record struct BatchContext(long Seed, int Epoch, int Index);
