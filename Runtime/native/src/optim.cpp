// Optimizer steps and gradient utilities: one call per parameter group, looping in C++.
//
// State tensors belong to the managed side. Each step receives, per kind of state, an array of
// handles with one slot per parameter; a null slot means "not created yet". When a parameter
// first gets a gradient the step creates its state, as PyTorch does lazily, and stores a new
// caller-owned handle in the slot, which the managed side then adopts. Parameters without a
// gradient are skipped, exactly as torch.optim skips them.
//
// The arithmetic mirrors torch/optim/*.py of PyTorch 1.13 (the single-tensor, non-capturable
// paths) op for op, with the same scalar arguments, so results are bitwise equal on the CPU.
#include "shim.h"

#include <c10/core/GradMode.h>

#include <cmath>
#include <limits>
#include <vector>

using at::Tensor;

namespace {

// The gradient of a parameter, negated when maximizing; undefined when it has none.
Tensor effective_grad(const Tensor& param, bool maximize) {
  const Tensor& g = param.grad();
  if (!g.defined()) return Tensor();
  return maximize ? g.neg() : g;
}

void check_state(const Tensor& state, const Tensor& param, const char* name, int64_t index) {
  TORCH_CHECK(state.sizes() == param.sizes(), "optimizer state '", name, "' of parameter ", index, " has shape ",
              state.sizes(), " but the parameter has shape ", param.sizes());
}

// Returns the state tensor in `slot`, creating it with `make` (and handing it to the caller) when absent.
template <typename Make>
Tensor& state_slot(Tensor** slot, const Tensor& param, const char* name, int64_t index, Make&& make) {
  if (*slot == nullptr) *slot = new Tensor(make());
  check_state(**slot, param, name, index);
  return **slot;
}

}  // namespace

PT_EXPORT int pt_sgd_step(Tensor** params, Tensor** momentum_buffers, int64_t n, double lr, double momentum,
                          double dampening, double weight_decay, bool nesterov, bool maximize) {
  PT_GUARD({
    at::NoGradGuard no_grad;
    for (int64_t i = 0; i < n; ++i) {
      Tensor& param = *params[i];
      Tensor d_p = effective_grad(param, maximize);
      if (!d_p.defined()) continue;
      if (weight_decay != 0) d_p = d_p.add(param, weight_decay);
      if (momentum != 0) {
        Tensor buf;
        if (momentum_buffers[i] == nullptr) {
          momentum_buffers[i] = new Tensor(d_p.clone().detach());
          buf = *momentum_buffers[i];
        } else {
          buf = *momentum_buffers[i];
          check_state(buf, param, "momentum_buffer", i);
          buf.mul_(momentum).add_(d_p, 1 - dampening);
        }
        d_p = nesterov ? d_p.add(buf, momentum) : buf;
      }
      param.add_(d_p, -lr);
    }
  });
}

// Adam and AdamW (decoupled = true): weight decay added to the gradient, or applied to the parameter.
PT_EXPORT int pt_adam_step(Tensor** params, Tensor** exp_avgs, Tensor** exp_avg_sqs, Tensor** max_exp_avg_sqs,
                           double* steps, int64_t n, double lr, double beta1, double beta2, double eps,
                           double weight_decay, bool amsgrad, bool maximize, bool decoupled) {
  PT_GUARD({
    at::NoGradGuard no_grad;
    for (int64_t i = 0; i < n; ++i) {
      Tensor& param = *params[i];
      Tensor grad = effective_grad(param, maximize);
      if (!grad.defined()) continue;
      auto zeros = [&] { return at::zeros_like(param, at::MemoryFormat::Preserve); };
      Tensor& exp_avg = state_slot(&exp_avgs[i], param, "exp_avg", i, zeros);
      Tensor& exp_avg_sq = state_slot(&exp_avg_sqs[i], param, "exp_avg_sq", i, zeros);
      Tensor* max_exp_avg_sq = amsgrad ? &state_slot(&max_exp_avg_sqs[i], param, "max_exp_avg_sq", i, zeros) : nullptr;

      // PyTorch keeps the count in a float32 tensor and reads it back with item().
      steps[i] = static_cast<double>(static_cast<float>(steps[i] + 1));
      const double step = steps[i];

      if (decoupled) {
        param.mul_(1 - lr * weight_decay);
      } else if (weight_decay != 0) {
        grad = grad.add(param, weight_decay);
      }
      exp_avg.mul_(beta1).add_(grad, 1 - beta1);
      exp_avg_sq.mul_(beta2).addcmul_(grad, grad.conj(), 1 - beta2);

      const double bias_correction1 = 1 - std::pow(beta1, step);
      const double bias_correction2 = 1 - std::pow(beta2, step);
      const double step_size = lr / bias_correction1;
      const double bias_correction2_sqrt = std::sqrt(bias_correction2);

      Tensor denom;
      if (amsgrad) {
        at::maximum_out(*max_exp_avg_sq, *max_exp_avg_sq, exp_avg_sq);
        denom = max_exp_avg_sq->sqrt().div(bias_correction2_sqrt).add_(eps);
      } else {
        denom = exp_avg_sq.sqrt().div(bias_correction2_sqrt).add_(eps);
      }
      param.addcdiv_(exp_avg, denom, -step_size);
    }
  });
}

PT_EXPORT int pt_rmsprop_step(Tensor** params, Tensor** square_avgs, Tensor** momentum_buffers, Tensor** grad_avgs,
                              double* steps, int64_t n, double lr, double alpha, double eps, double weight_decay,
                              double momentum, bool centered, bool maximize) {
  PT_GUARD({
    at::NoGradGuard no_grad;
    for (int64_t i = 0; i < n; ++i) {
      Tensor& param = *params[i];
      Tensor grad = effective_grad(param, maximize);
      if (!grad.defined()) continue;
      auto zeros = [&] { return at::zeros_like(param, at::MemoryFormat::Preserve); };
      Tensor& square_avg = state_slot(&square_avgs[i], param, "square_avg", i, zeros);
      Tensor* buf = momentum > 0 ? &state_slot(&momentum_buffers[i], param, "momentum_buffer", i, zeros) : nullptr;
      Tensor* grad_avg = centered ? &state_slot(&grad_avgs[i], param, "grad_avg", i, zeros) : nullptr;
      steps[i] += 1;

      if (weight_decay != 0) grad = grad.add(param, weight_decay);
      square_avg.mul_(alpha).addcmul_(grad, grad, 1 - alpha);
      Tensor avg;
      if (centered) {
        grad_avg->mul_(alpha).add_(grad, 1 - alpha);
        avg = square_avg.addcmul(*grad_avg, *grad_avg, -1).sqrt_();
      } else {
        avg = square_avg.sqrt();
      }
      avg = avg.add_(eps);
      if (momentum > 0) {
        buf->mul_(momentum).addcdiv_(grad, avg);
        param.add_(*buf, -lr);
      } else {
        param.addcdiv_(grad, avg, -lr);
      }
    }
  });
}

PT_EXPORT int pt_adagrad_step(Tensor** params, Tensor** sums, double* steps, int64_t n, double lr, double lr_decay,
                              double weight_decay, double initial_accumulator_value, double eps, bool maximize) {
  PT_GUARD({
    at::NoGradGuard no_grad;
    for (int64_t i = 0; i < n; ++i) {
      Tensor& param = *params[i];
      Tensor grad = effective_grad(param, maximize);
      if (!grad.defined()) continue;
      Tensor& state_sum = state_slot(&sums[i], param, "sum", i, [&] {
        return at::full_like(param, initial_accumulator_value, at::MemoryFormat::Preserve);
      });
      TORCH_CHECK(!grad.is_sparse(), "Adagrad: sparse gradients are not supported by this binding");
      steps[i] = static_cast<double>(static_cast<float>(steps[i] + 1));
      const double step = steps[i];
      if (weight_decay != 0) grad = grad.add(param, weight_decay);
      const double clr = lr / (1 + (step - 1) * lr_decay);
      state_sum.addcmul_(grad, grad, 1);
      Tensor std = state_sum.sqrt().add_(eps);
      param.addcdiv_(grad, std, -clr);
    }
  });
}

// Clears gradients: to none, or to zero in place (detached from any graph first, as PyTorch does).
PT_EXPORT int pt_zero_grad(Tensor** params, int64_t n, bool set_to_none) {
  PT_GUARD({
    for (int64_t i = 0; i < n; ++i) {
      Tensor& param = *params[i];
      if (!param.grad().defined()) continue;
      if (set_to_none) {
        param.mutable_grad() = Tensor();
      } else {
        Tensor& g = param.mutable_grad();
        if (g.grad_fn()) {
          g.detach_();
        } else {
          g.requires_grad_(false);
        }
        g.zero_();
      }
    }
  });
}

// torch.nn.utils.clip_grad_norm_ of PyTorch 1.13. `error_if_nonfinite` raises before any
// gradient is scaled. The total norm comes back as a new tensor on the first gradient's device.
PT_EXPORT int pt_clip_grad_norm_(Tensor** params, int64_t n, double max_norm, double norm_type,
                                 bool error_if_nonfinite, Tensor** total_norm_out) {
  PT_GUARD({
    at::NoGradGuard no_grad;
    std::vector<Tensor> grads;
    grads.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      const Tensor& g = params[i]->grad();
      if (g.defined()) grads.push_back(g);
    }
    if (grads.empty()) {
      *total_norm_out = pt::wrap(at::scalar_tensor(0.0, at::kFloat));
      return;
    }
    const auto device = grads[0].device();
    Tensor total_norm;
    std::vector<Tensor> norms;
    norms.reserve(grads.size());
    if (std::isinf(norm_type) && norm_type > 0) {
      for (const auto& g : grads) norms.push_back(g.detach().abs().max().to(device));
      total_norm = norms.size() == 1 ? norms[0] : at::stack(norms).max();
    } else {
      for (const auto& g : grads) norms.push_back(at::norm(g.detach(), norm_type).to(device));
      total_norm = at::norm(at::stack(norms), norm_type);
    }
    if (error_if_nonfinite) {
      const bool nonfinite = at::logical_or(total_norm.isnan(), total_norm.isinf()).item<bool>();
      TORCH_CHECK(!nonfinite, "The total norm of order ", norm_type,
                  " for gradients from `parameters` is non-finite, so it cannot be clipped. To disable this error "
                  "and scale the gradients by the non-finite norm anyway, set error_if_nonfinite=false");
    }
    // PyTorch writes max_norm / (total_norm + 1e-6), which Python evaluates as reciprocal() * max_norm.
    Tensor clip_coef = total_norm.add(1e-6).reciprocal().mul(max_norm);
    Tensor clip_coef_clamped = at::clamp(clip_coef, c10::nullopt, 1.0);
    for (auto& g : grads) {
      Tensor d = g.detach();
      d.mul_(clip_coef_clamped.to(g.device()));
    }
    *total_norm_out = pt::wrap(std::move(total_norm));
  });
}

PT_EXPORT int pt_clip_grad_value_(Tensor** params, int64_t n, double clip_value) {
  PT_GUARD({
    at::NoGradGuard no_grad;
    for (int64_t i = 0; i < n; ++i) {
      const Tensor& g = params[i]->grad();
      if (g.defined()) g.detach().clamp_(-clip_value, clip_value);
    }
  });
}
