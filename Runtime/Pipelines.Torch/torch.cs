using Pipelines.Torch.Native;

namespace Pipelines.Torch;

/// <summary>
/// The entry point, shaped like PyTorch's <c>torch</c> module and TorchSharp's <c>torch</c> class:
/// <c>using static Pipelines.Torch.torch;</c> brings <c>zeros</c>, <c>nn</c>, <c>optim</c>, ... into scope.
/// </summary>
public static partial class torch
{
    /// <summary>torch.float32.</summary>
    public const ScalarType float32 = ScalarType.Float32;
    /// <summary>torch.float64.</summary>
    public const ScalarType float64 = ScalarType.Float64;
    /// <summary>torch.float16.</summary>
    public const ScalarType float16 = ScalarType.Float16;
    /// <summary>torch.bfloat16.</summary>
    public const ScalarType bfloat16 = ScalarType.BFloat16;
    /// <summary>torch.int64.</summary>
    public const ScalarType int64 = ScalarType.Int64;
    /// <summary>torch.int32.</summary>
    public const ScalarType int32 = ScalarType.Int32;
    /// <summary>torch.uint8.</summary>
    public const ScalarType uint8 = ScalarType.Byte;
    /// <summary>torch.bool.</summary>
    public const ScalarType @bool = ScalarType.Bool;

    /// <summary>The CPU device.</summary>
    public static Device CPU => Device.CPU;

    /// <summary>The current CUDA device.</summary>
    public static Device CUDA => Device.CUDA;

    /// <summary>Parses <c>"cpu"</c>, <c>"cuda"</c> or <c>"cuda:N"</c>.</summary>
    public static Device device(string name) => Device.Parse(name);

    /// <summary>Opens a dispose scope on this thread: see <see cref="DisposeScope"/>.</summary>
    public static DisposeScope NewDisposeScope() => DisposeScope.Open();

    /// <summary>Seeds the CPU generator and every CUDA generator.</summary>
    public static void manual_seed(long seed) => LibTorch.Check(LibTorch.pt_manual_seed(seed));

    /// <summary>Sets the number of intra-op threads libtorch uses.</summary>
    public static void set_num_threads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        LibTorch.Check(LibTorch.pt_set_num_threads(threads));
    }

    /// <summary>The number of intra-op threads libtorch uses.</summary>
    public static int get_num_threads()
    {
        LibTorch.Check(LibTorch.pt_get_num_threads(out var n));
        return n;
    }

    /// <summary>Disables gradient recording on this thread until the guard is disposed (<c>using var _ = torch.no_grad();</c>).</summary>
    public static GradModeGuard no_grad() => GradModeGuard.Set(false);

    /// <summary>Enables gradient recording on this thread until the guard is disposed.</summary>
    public static GradModeGuard enable_grad() => GradModeGuard.Set(true);

    /// <summary>Whether gradient recording is on for this thread.</summary>
    public static bool is_grad_enabled()
    {
        LibTorch.Check(LibTorch.pt_grad_enabled(out var enabled));
        return enabled;
    }

    /// <summary>Enters inference mode (no autograd bookkeeping at all) until the guard is disposed.</summary>
    public static InferenceModeGuard inference_mode(bool mode = true) => InferenceModeGuard.Enter(mode);

    /// <summary>Whether inference mode is on for this thread.</summary>
    public static bool is_inference_mode_enabled()
    {
        LibTorch.Check(LibTorch.pt_is_inference_mode_enabled(out var enabled));
        return enabled;
    }

    /// <summary>CUDA devices (<c>torch.cuda</c>).</summary>
    public static class cuda
    {
        /// <summary>Whether libtorch was built with CUDA and a GPU is present.</summary>
        public static bool is_available()
        {
            LibTorch.Check(LibTorch.pt_cuda_is_available(out var available));
            return available;
        }

        /// <summary>The number of visible GPUs (0 without CUDA).</summary>
        public static int device_count()
        {
            LibTorch.Check(LibTorch.pt_cuda_device_count(out var count));
            return count;
        }

        /// <summary>Waits until all queued work on a GPU has finished.</summary>
        public static void synchronize(int device = -1) => LibTorch.Check(LibTorch.pt_cuda_synchronize(device));
    }
}
