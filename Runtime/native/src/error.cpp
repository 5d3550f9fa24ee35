// The error channel and process-wide settings (threads, build information).
#include "shim.h"

#include <ATen/Parallel.h>
#include <torch/version.h>

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
