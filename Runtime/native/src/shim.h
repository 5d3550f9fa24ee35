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
#include <limits>
#include <sstream>
#include <string>

#define PT_EXPORT extern "C" __attribute__((visibility("default")))

namespace pt {

void set_last_error(const char* message);
std::string last_error_message();

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

// As guarded, but appends `context()` (e.g. the operand shapes) to the message: libtorch's
// broadcast and cat errors name one mismatched size, not the shapes the caller passed.
template <typename Context, typename Body>
int guarded_with(Context&& context, Body&& body) noexcept {
  int status = guarded(body);
  if (status != 0) {
    std::string message = last_error_message();
    try {
      message += " (" + context() + ")";
    } catch (...) {
    }
    set_last_error(message.c_str());
  }
  return status;
}

// Moves a result into a new caller-owned handle; undefined tensors become null.
inline at::Tensor* wrap(at::Tensor&& t) {
  return t.defined() ? new at::Tensor(std::move(t)) : nullptr;
}

// Codes from the managed side are checked before the cast: an out-of-range ScalarType or
// DeviceType indexes libtorch's tables out of bounds instead of raising an error.
inline at::ScalarType scalar_type(int code) {
  TORCH_CHECK(code >= 0 && code < static_cast<int>(at::ScalarType::NumOptions) && code != static_cast<int>(at::ScalarType::Undefined),
              "invalid dtype code ", code);
  return static_cast<at::ScalarType>(code);
}

inline c10::optional<at::ScalarType> optional_dtype(int code) {
  if (code < 0) return c10::nullopt;
  return scalar_type(code);
}

inline at::Device device(int type, int index) {
  TORCH_CHECK(type >= 0 && type < static_cast<int>(c10::DeviceType::COMPILE_TIME_MAX_DEVICE_TYPES) &&
                  c10::isValidDeviceType(static_cast<c10::DeviceType>(type)),
              "invalid device type code ", type);
  TORCH_CHECK(index >= -1 && index <= std::numeric_limits<c10::DeviceIndex>::max(), "invalid device index ", index);
  auto t = static_cast<c10::DeviceType>(type);
  TORCH_CHECK(t != c10::DeviceType::CPU || index <= 0, "CPU device index must be -1 or 0, got ", index);
  return at::Device(t, static_cast<c10::DeviceIndex>(index));
}

// ATen's factories ignore TensorOptions::requires_grad (only torch:: ones honour it), so the
// flag is not part of the options: creators call requiring_grad on the result instead.
inline at::TensorOptions options(int dtype, int device_type, int device_index) {
  return at::TensorOptions().dtype(scalar_type(dtype)).device(device(device_type, device_index));
}

inline at::Tensor requiring_grad(at::Tensor t, bool requires_grad) {
  if (requires_grad) t.set_requires_grad(true);
  return t;
}

// "[2, 3]": the shape as PyTorch prints it, for error context.
inline std::string shape_of(const at::Tensor& t) {
  std::ostringstream out;
  out << t.sizes();
  return out.str();
}

}  // namespace pt

// Wraps a body into the status-code protocol: PT_GUARD({ ... });
#define PT_GUARD(...) return pt::guarded([&]() __VA_ARGS__)
// The same, with a context expression (a std::string) appended to any error message.
#define PT_GUARD_WITH(context, ...) return pt::guarded_with([&]() -> std::string { return context; }, [&]() __VA_ARGS__)
