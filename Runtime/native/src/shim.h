// Shared by every shim file: the export macro, the error channel and the handle conventions.
//
// Conventions (the whole ABI follows them):
//  - Every export returns int: 0 on success, -1 on failure. Results go to out-parameters, so a
//    null handle never has to mean both "error" and "no tensor".
//  - On failure the message is kept in a thread-local std::string, read by pt_last_error().
//  - A tensor handle is a heap `at::Tensor*` owned by the caller and released by pt_tensor_free;
//    an undefined tensor (no grad yet, no bias) is returned as a null handle with status 0.
#pragma once

#include <ATen/ATen.h>
#include <c10/util/Exception.h>

#include <cstdint>
#include <exception>
#include <string>

#define PT_EXPORT extern "C" __attribute__((visibility("default")))

namespace pt {

void set_last_error(const char* message);

// Runs `body` and turns every exception into a status code plus a message; nothing escapes
// the C boundary (an escaping exception would abort the process).
template <typename Body>
int guarded(Body&& body) noexcept {
  try {
    body();
    return 0;
  } catch (const c10::Error& e) {
    set_last_error(e.what_without_backtrace());
  } catch (const std::exception& e) {
    set_last_error(e.what());
  } catch (...) {
    set_last_error("unknown C++ exception in the libtorch shim");
  }
  return -1;
}

// Moves a result into a new caller-owned handle; undefined tensors become null.
inline at::Tensor* wrap(at::Tensor&& t) {
  return t.defined() ? new at::Tensor(std::move(t)) : nullptr;
}

inline c10::optional<at::ScalarType> optional_dtype(int code) {
  if (code < 0) return c10::nullopt;
  return static_cast<at::ScalarType>(code);
}

inline at::TensorOptions options(int dtype, int device_type, int device_index, bool requires_grad) {
  return at::TensorOptions()
      .dtype(static_cast<at::ScalarType>(dtype))
      .device(at::Device(static_cast<at::DeviceType>(device_type), static_cast<c10::DeviceIndex>(device_index)))
      .requires_grad(requires_grad);
}

}  // namespace pt

// Wraps a body into the status-code protocol: PT_GUARD({ ... });
#define PT_GUARD(...) return pt::guarded([&]() __VA_ARGS__)
