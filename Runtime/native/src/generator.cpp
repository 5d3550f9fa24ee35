// Random generators: the default CPU generator's and each CUDA generator's state as a uint8
// tensor (torch.get_rng_state / torch.cuda.get_rng_state), so that a checkpoint can resume the
// exact random stream. CUDA generators are reached through the dispatcher hooks, so this file
// builds the same way against a CPU or a CUDA libtorch.
#include "shim.h"

#include <ATen/Context.h>
#include <ATen/detail/CUDAHooksInterface.h>

#include <mutex>

namespace {

at::Generator default_generator(int device_type, int device_index) {
  auto d = pt::device(device_type, device_index);
  TORCH_CHECK(d.is_cpu() || d.is_cuda(), "random generator state: device ", d, " has no default generator here");
  if (d.is_cuda()) {
    TORCH_CHECK(at::hasCUDA(), "random generator state: CUDA is not available");
    auto count = static_cast<int>(at::detail::getCUDAHooks().getNumGPUs());
    auto index = d.has_index() ? static_cast<int>(d.index()) : 0;
    TORCH_CHECK(index >= 0 && index < count, "random generator state: CUDA device ", index, " does not exist (", count, " visible)");
    return at::globalContext().defaultGenerator(at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index)));
  }
  return at::globalContext().defaultGenerator(at::Device(at::kCPU));
}

}  // namespace

// A copy of the generator's state (a CPU uint8 tensor); later draws do not change it.
PT_EXPORT int pt_rng_get_state(int device_type, int device_index, at::Tensor** out) {
  PT_GUARD({
    auto gen = default_generator(device_type, device_index);
    at::Tensor state;
    {
      // See libtorch's note "Acquire lock when using random generators".
      std::lock_guard<std::mutex> lock(gen.mutex());
      state = gen.get_state();
    }
    *out = pt::wrap(std::move(state));
  });
}

// Restores a state from pt_rng_get_state; libtorch rejects a state of the wrong size or dtype.
PT_EXPORT int pt_rng_set_state(int device_type, int device_index, const at::Tensor* state) {
  PT_GUARD({
    TORCH_CHECK(state != nullptr && state->defined(), "random generator state: the state tensor is undefined");
    TORCH_CHECK(state->scalar_type() == at::kByte, "random generator state: expected a uint8 tensor, got ", state->scalar_type());
    TORCH_CHECK(state->device().is_cpu(), "random generator state: expected a CPU tensor, got one on ", state->device());
    auto gen = default_generator(device_type, device_index);
    auto contiguous = state->contiguous();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(contiguous);
  });
}
