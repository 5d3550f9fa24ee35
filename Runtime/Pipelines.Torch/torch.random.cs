using Pipelines.Torch.Native;

namespace Pipelines.Torch;

public static partial class torch
{
    /// <summary>
    /// The default CPU generator's state as a uint8 tensor (PyTorch's <c>torch.get_rng_state()</c>):
    /// a copy, so later draws do not change it. <see cref="set_rng_state"/> restores it, after which
    /// the same draws come out again.
    /// </summary>
    public static Tensor get_rng_state() => random.get_rng_state();

    /// <summary>Restores the default CPU generator from a state returned by <see cref="get_rng_state"/>.</summary>
    /// <exception cref="TorchException">When <paramref name="new_state"/> is not a CPU uint8 tensor of the generator's state size.</exception>
    public static void set_rng_state(Tensor new_state) => random.set_rng_state(new_state);

    /// <summary>The random generators' states (<c>torch.random</c>, with the CUDA ones of <c>torch.cuda</c>).</summary>
    public static class random
    {
        /// <summary>The default CPU generator's state as a uint8 CPU tensor (a copy).</summary>
        public static Tensor get_rng_state() => Tensor.Call(LibTorch.pt_rng_get_state((int)DeviceType.CPU, -1, out var result), result);

        /// <summary>Restores the default CPU generator from a state returned by <see cref="get_rng_state"/>.</summary>
        /// <exception cref="TorchException">When <paramref name="new_state"/> is not a CPU uint8 tensor of the generator's state size.</exception>
        public static void set_rng_state(Tensor new_state)
        {
            ArgumentNullException.ThrowIfNull(new_state);
            LibTorch.Check(LibTorch.pt_rng_set_state((int)DeviceType.CPU, -1, new_state.Handle));
        }

        /// <summary>The state of CUDA device <paramref name="device"/>'s default generator (PyTorch's <c>torch.cuda.get_rng_state(device)</c>), as a uint8 CPU tensor.</summary>
        /// <exception cref="TorchException">When CUDA is not available or the device does not exist.</exception>
        public static Tensor get_cuda_rng_state(int device = 0) =>
            Tensor.Call(LibTorch.pt_rng_get_state((int)DeviceType.CUDA, device, out var result), result);

        /// <summary>Restores CUDA device <paramref name="device"/>'s default generator from <see cref="get_cuda_rng_state"/>.</summary>
        /// <exception cref="TorchException">When CUDA is not available, the device does not exist or the state does not fit.</exception>
        public static void set_cuda_rng_state(Tensor new_state, int device = 0)
        {
            ArgumentNullException.ThrowIfNull(new_state);
            LibTorch.Check(LibTorch.pt_rng_set_state((int)DeviceType.CUDA, device, new_state.Handle));
        }

        /// <summary>Every visible CUDA generator's state, by device index (empty without CUDA): PyTorch's <c>torch.cuda.get_rng_state_all()</c>.</summary>
        public static Tensor[] get_cuda_rng_state_all()
        {
            var count = cuda.device_count();
            var states = new Tensor[count];
            for (var i = 0; i < count; i++)
                states[i] = get_cuda_rng_state(i);
            return states;
        }

        /// <summary>Restores every CUDA generator from <see cref="get_cuda_rng_state_all"/>; the count must match the visible devices.</summary>
        /// <exception cref="ArgumentException">When the number of states differs from the number of visible CUDA devices.</exception>
        public static void set_cuda_rng_state_all(IReadOnlyList<Tensor> new_states)
        {
            ArgumentNullException.ThrowIfNull(new_states);
            var count = cuda.device_count();
            if (new_states.Count != count)
                throw new ArgumentException($"{new_states.Count} CUDA generator state(s) for {count} visible CUDA device(s).", nameof(new_states));
            for (var i = 0; i < count; i++)
                set_cuda_rng_state(new_states[i], i);
        }
    }
}
