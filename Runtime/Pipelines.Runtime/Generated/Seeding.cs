using Pipelines.Core;

namespace Pipelines.Generated;

/// <summary>
/// Lightning's <c>seed_everything</c> for libtorch: one call that seeds every generator a run
/// draws from. TorchSharp's <c>torch.manual_seed</c> seeds only the CPU generator (PyTorch's also
/// seeds CUDA's), so dropout on CUDA tensors and <c>randn(..., device: cuda)</c> would otherwise
/// differ between two runs with the same seed.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class Seeding
{
    /// <summary>
    /// Seeds libtorch's CPU generator and, when CUDA is available, every CUDA device's generator
    /// with <paramref name="seed"/>. The generated <c>Fit</c> calls it for <see cref="FitOptions.Seed"/>.
    /// </summary>
    /// <param name="seed">The seed; the same seed draws the same numbers PyTorch's C++ API draws.</param>
    public static void SeedEverything(long seed) => RandomSeeds.SeedAll(seed);
}
