// The error channel and process-wide settings (threads, build information).
#include "shim.h"

#include <ATen/Parallel.h>
#include <torch/version.h>

#include <dlfcn.h>

#include <algorithm>
#include <cstring>

namespace {
thread_local std::string last_error;
}

void pt::set_last_error(const char* message) { last_error = message ? message : ""; }

std::string pt::last_error_message() { return last_error; }

PT_EXPORT const char* pt_last_error() { return last_error.c_str(); }

PT_EXPORT int pt_set_num_threads(int n) {
  PT_GUARD({ at::set_num_threads(n); });
}

PT_EXPORT int pt_get_num_threads(int* out) {
  PT_GUARD({ *out = at::get_num_threads(); });
}

// OpenBLAS runs its own thread pool inside each matrix product. Beside libtorch's intra-op pool
// the two oversubscribe the cores (measured: an MLP step 3x slower with both at 2 threads), so
// the managed side pins BLAS to one thread when libtorch parallelises. Looked up at run time:
// libtorch may use another BLAS (MKL in PyTorch wheels), where this reports -1 and does nothing.
using blas_set_threads_fn = void (*)(int);
using blas_get_threads_fn = int (*)();

PT_EXPORT int pt_set_blas_threads(int n, bool* applied) {
  PT_GUARD({
    auto set = reinterpret_cast<blas_set_threads_fn>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    *applied = set != nullptr;
    if (set) set(n);
  });
}

PT_EXPORT int pt_get_blas_threads(int* out) {
  PT_GUARD({
    auto get = reinterpret_cast<blas_get_threads_fn>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    *out = get ? get() : -1;
  });
}

// Copies `text` into a caller buffer; *needed receives the full length so the caller can retry.
static void copy_out(const std::string& text, char* buffer, int64_t capacity, int64_t* needed) {
  *needed = static_cast<int64_t>(text.size());
  if (buffer && capacity > 0) {
    auto n = std::min<int64_t>(capacity - 1, *needed);
    std::memcpy(buffer, text.data(), static_cast<size_t>(n));
    buffer[n] = '\0';
  }
}

PT_EXPORT int pt_parallel_info(char* buffer, int64_t capacity, int64_t* needed) {
  PT_GUARD({ copy_out(at::get_parallel_info(), buffer, capacity, needed); });
}

PT_EXPORT int pt_version(char* buffer, int64_t capacity, int64_t* needed) {
  PT_GUARD({ copy_out(TORCH_VERSION, buffer, capacity, needed); });
}
