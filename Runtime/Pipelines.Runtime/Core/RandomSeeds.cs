using TorchSharp;

namespace Pipelines.Core;

/// <summary>
/// Lightning's <c>seed_everything</c> for libtorch, shared by the generated <c>Fit</c> and the
/// command line's run preparation. TorchSharp's <c>torch.manual_seed</c> seeds only the CPU
/// generator (PyTorch's also seeds CUDA's), so dropout on CUDA tensors and
/// <c>randn(..., device: cuda)</c> would otherwise differ between two runs with the same seed.
/// </summary>
internal static class RandomSeeds
{
    /// <summary>Seeds libtorch's CPU generator and, when CUDA is available, every CUDA device's generator.</summary>
    public static void SeedAll(long seed)
    {
        // The returned wrapper is a handle on the default generator, not the generator itself.
        torch.random.manual_seed(seed).Dispose();
        if (torch.cuda.is_available())
            torch.cuda.manual_seed_all(seed);
    }
}
