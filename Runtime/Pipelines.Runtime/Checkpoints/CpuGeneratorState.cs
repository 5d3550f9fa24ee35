using System.Buffers.Binary;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Checkpoints;

/// <summary>
/// Checks a saved CPU generator state the way libtorch's <c>CPUGeneratorImpl::set_state</c> does,
/// before libtorch sees it: libtorch refuses a bad state with a C++ exception that TorchSharp's
/// native shim does not catch, so handing it one terminates the process.
/// </summary>
internal static class CpuGeneratorState
{
    // CPUGeneratorImplState starts with the legacy THGeneratorState:
    // uint64 the_initial_seed; int32 left; int32 seeded; uint64 next; uint64 state[624]; ...
    const int LeftOffset = 8;
    const int SeededOffset = 12;
    const int NextOffset = 16;
    const int MersenneStateN = 624;

    /// <summary>Why libtorch would refuse <paramref name="saved"/> (a 1-D U8 tensor), or null when it would take it.</summary>
    internal static string? Problem(Tensor saved)
    {
        using var current = torch.random.get_rng_state();
        if (saved.numel() != current.numel())
            return string.Create(CultureInfo.InvariantCulture,
                $"{saved.numel()} bytes, but this libtorch's CPU generator state is {current.numel()} bytes.");
        using var host = saved.cpu();
        ReadOnlySpan<byte> bytes = host.bytes;
        var left = BinaryPrimitives.ReadInt32LittleEndian(bytes[LeftOffset..]);
        var seeded = BinaryPrimitives.ReadInt32LittleEndian(bytes[SeededOffset..]);
        // libtorch keeps the low 32 bits of the 64-bit field.
        var next = BinaryPrimitives.ReadUInt32LittleEndian(bytes[NextOffset..]);
        if (seeded == 0 || left < 1 || left > MersenneStateN || next > MersenneStateN)
            return string.Create(CultureInfo.InvariantCulture,
                $"not a Mersenne Twister state libtorch accepts (seeded {seeded}, left {left}, next {next}; it needs seeded, 1 <= left <= {MersenneStateN}, next <= {MersenneStateN}).");
        return null;
    }
}
