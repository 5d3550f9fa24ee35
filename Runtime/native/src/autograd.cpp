// Autograd: gradients, backward, grad-mode and inference-mode guards.
#include "shim.h"

#include <c10/core/GradMode.h>
#include <c10/core/InferenceMode.h>

using at::Tensor;

PT_EXPORT int pt_requires_grad(const Tensor* t, bool* out) { PT_GUARD({ *out = t->requires_grad(); }); }
PT_EXPORT int pt_set_requires_grad(Tensor* t, bool value) { PT_GUARD({ t->set_requires_grad(value); }); }
PT_EXPORT int pt_is_leaf(const Tensor* t, bool* out) { PT_GUARD({ *out = t->is_leaf(); }); }

// The gradient accumulated in a tensor; null (status 0) when there is none yet.
PT_EXPORT int pt_grad(const Tensor* t, Tensor** out) {
  PT_GUARD({
    const Tensor& g = t->grad();
    *out = g.defined() ? new Tensor(g) : nullptr;
  });
}

// The checks PyTorch's `t.grad = g` makes: a mismatched gradient would otherwise surface much
// later, inside the optimizer or the next accumulation, far from the assignment that caused it.
PT_EXPORT int pt_set_grad(Tensor* t, const Tensor* grad) {
  PT_GUARD({
    if (grad) {
      TORCH_CHECK(grad->scalar_type() == t->scalar_type(), "assigned grad has dtype ", grad->scalar_type(), " but the tensor has ",
                  t->scalar_type());
      TORCH_CHECK(grad->device() == t->device(), "assigned grad is on ", grad->device(), " but the tensor is on ", t->device());
      TORCH_CHECK(grad->sizes() == t->sizes(), "assigned grad has shape ", grad->sizes(), " but the tensor has shape ", t->sizes());
    }
    t->mutable_grad() = grad ? *grad : Tensor();
  });
}

PT_EXPORT int pt_backward(const Tensor* t, const Tensor* gradient, bool retain_graph, bool create_graph) {
  PT_GUARD({
    t->backward(gradient ? *gradient : Tensor(), retain_graph ? c10::optional<bool>(true) : c10::nullopt, create_graph);
  });
}

PT_EXPORT int pt_detach(const Tensor* t, Tensor** out) { PT_GUARD({ *out = pt::wrap(t->detach()); }); }
PT_EXPORT int pt_detach_(Tensor* t) { PT_GUARD({ t->detach_(); }); }

PT_EXPORT int pt_grad_enabled(bool* out) { PT_GUARD({ *out = c10::GradMode::is_enabled(); }); }

// Sets grad mode on this thread and returns the previous one, which the managed guard restores.
PT_EXPORT int pt_set_grad_enabled(bool enabled, bool* previous) {
  PT_GUARD({
    *previous = c10::GradMode::is_enabled();
    c10::GradMode::set_enabled(enabled);
  });
}

// Inference mode changes several thread-local states at once, so it lives in a heap guard that
// the managed side frees, in LIFO order, on the thread that created it.
PT_EXPORT int pt_inference_mode_enter(bool enabled, c10::InferenceMode** out) {
  PT_GUARD({ *out = new c10::InferenceMode(enabled); });
}

PT_EXPORT void pt_inference_mode_exit(c10::InferenceMode* guard) { delete guard; }

PT_EXPORT int pt_is_inference_mode_enabled(bool* out) { PT_GUARD({ *out = c10::InferenceMode::is_enabled(); }); }
