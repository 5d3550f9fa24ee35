// Raw byte access for the managed safetensors reader and writer: they move bytes between files
// and tensor storage directly, with no intermediate managed buffer.
#include "shim.h"

using at::Tensor;

// A contiguous CPU tensor with `t`'s values (`t` itself when it already is one) and its bytes.
// The caller frees `*host`; `*data` stays valid while `*host` lives.
PT_EXPORT int pt_tensor_host_bytes(const Tensor* t, Tensor** host, void** data, int64_t* nbytes) {
  PT_GUARD({
    Tensor h = t->detach().to(at::kCPU).contiguous();
    *data = h.data_ptr();
    *nbytes = static_cast<int64_t>(h.nbytes());
    *host = new Tensor(std::move(h));
  });
}

// A new uninitialised contiguous CPU tensor and its byte buffer, for a reader to fill in place.
PT_EXPORT int pt_empty_host_bytes(const int64_t* shape, int64_t ndim, int dtype, Tensor** out, void** data, int64_t* nbytes) {
  PT_GUARD({
    Tensor t = at::empty(at::IntArrayRef(shape, static_cast<size_t>(ndim)), at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype)));
    *data = t.data_ptr();
    *nbytes = static_cast<int64_t>(t.nbytes());
    *out = new Tensor(std::move(t));
  });
}
