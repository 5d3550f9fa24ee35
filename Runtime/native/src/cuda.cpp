// Devices: CUDA availability and synchronisation. Built the same way against a CPU or a CUDA
// libtorch; the CUDA calls go through the dispatcher hooks, so no CUDA headers are needed.
#include "shim.h"

#include <ATen/Context.h>
#include <ATen/detail/CUDAHooksInterface.h>

PT_EXPORT int pt_cuda_is_available(bool* out) { PT_GUARD({ *out = at::hasCUDA(); }); }

PT_EXPORT int pt_cuda_device_count(int* out) {
  PT_GUARD({ *out = at::hasCUDA() ? static_cast<int>(at::detail::getCUDAHooks().getNumGPUs()) : 0; });
}

// Waits for all work queued on a CUDA device (torch.cuda.synchronize).
PT_EXPORT int pt_cuda_synchronize(int device) {
  PT_GUARD({
    TORCH_CHECK(at::hasCUDA(), "CUDA is not available: this libtorch was built without CUDA or no GPU is present");
    at::detail::getCUDAHooks().deviceSynchronize(static_cast<int64_t>(device < 0 ? 0 : device));
  });
}
