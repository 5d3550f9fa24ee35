// Neural-network operations: layers, activations, normalisation, recurrent nets and losses.
// Each export is one ATen call (plus argument plumbing), so a module forward crosses the C
// boundary once. Optional tensors (bias, weight, running statistics) arrive as null pointers.
#include "shim.h"

#include <vector>

using at::Tensor;

namespace {

c10::optional<Tensor> opt(const Tensor* t) { return t ? c10::optional<Tensor>(*t) : c10::nullopt; }

at::IntArrayRef dims(const int64_t* data, int64_t length) { return at::IntArrayRef(data, static_cast<size_t>(length)); }

std::vector<Tensor> tensor_list(const Tensor* const* handles, int64_t count) {
  std::vector<Tensor> list;
  list.reserve(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) list.push_back(*handles[i]);
  return list;
}

// Runs a recurrent net on unbatched (2-D) input the way PyTorch's Python modules do: as a
// batch of one, with the batch dimension removed again from every result.
bool is_unbatched(const Tensor& input) {
  TORCH_CHECK(input.dim() == 2 || input.dim() == 3, "recurrent nets expect 2-D (unbatched) or 3-D input, got ", input.dim(), "-D");
  return input.dim() == 2;
}

// Initial hidden state: the caller's, or zeros of (layers * directions, batch, hidden).
Tensor initial_state(const Tensor* given, const Tensor& input, bool unbatched, bool batch_first, int64_t layers_x_dirs, int64_t hidden) {
  if (given) return unbatched ? given->unsqueeze(1) : *given;
  auto batch = unbatched ? 1 : input.size(batch_first ? 0 : 1);
  return at::zeros({layers_x_dirs, batch, hidden}, input.options());
}

}  // namespace

// ---- layers --------------------------------------------------------------------------------

PT_EXPORT int pt_linear(const Tensor* input, const Tensor* weight, const Tensor* bias, Tensor** out) {
  PT_GUARD({ *out = pt::wrap(at::linear(*input, *weight, opt(bias))); });
}

// Convolution over `spatial` (1 or 2) dimensions; stride, padding and dilation hold `spatial` values each.
PT_EXPORT int pt_conv(const Tensor* input, const Tensor* weight, const Tensor* bias, int64_t spatial, const int64_t* stride,
                      const int64_t* padding, const int64_t* dilation, int64_t groups, Tensor** out) {
  PT_GUARD({
    auto s = dims(stride, spatial), p = dims(padding, spatial), d = dims(dilation, spatial);
    switch (spatial) {
      case 1: *out = pt::wrap(at::conv1d(*input, *weight, opt(bias), s, p, d, groups)); break;
      case 2: *out = pt::wrap(at::conv2d(*input, *weight, opt(bias), s, p, d, groups)); break;
      case 3: *out = pt::wrap(at::conv3d(*input, *weight, opt(bias), s, p, d, groups)); break;
      default: TORCH_CHECK(false, "convolution over ", spatial, " dimensions is not supported");
    }
  });
}

// ---- pooling (two spatial dimensions; every array holds two values) -------------------------

PT_EXPORT int pt_max_pool2d(const Tensor* input, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                            const int64_t* dilation, bool ceil_mode, Tensor** out) {
  PT_GUARD({ *out = pt::wrap(at::max_pool2d(*input, dims(kernel, 2), dims(stride, 2), dims(padding, 2), dims(dilation, 2), ceil_mode)); });
}

// divisor_override <= 0 means none.
PT_EXPORT int pt_avg_pool2d(const Tensor* input, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                            bool ceil_mode, bool count_include_pad, int64_t divisor_override, Tensor** out) {
  PT_GUARD({
    auto divisor = divisor_override > 0 ? c10::optional<int64_t>(divisor_override) : c10::nullopt;
    *out = pt::wrap(at::avg_pool2d(*input, dims(kernel, 2), dims(stride, 2), dims(padding, 2), ceil_mode, count_include_pad, divisor));
  });
}

PT_EXPORT int pt_adaptive_avg_pool2d(const Tensor* input, const int64_t* output_size, Tensor** out) {
  PT_GUARD({ *out = pt::wrap(at::adaptive_avg_pool2d(*input, dims(output_size, 2))); });
}

// ---- normalisation and regularisation ------------------------------------------------------

// Batch norm over dimension 1. In training mode the running statistics (when given) move by
// `momentum`, and `num_batches_tracked` (when given) counts the batch; a negative momentum means
// PyTorch's momentum=None, a cumulative average over the batches seen so far.
PT_EXPORT int pt_batch_norm(const Tensor* input, const Tensor* weight, const Tensor* bias, const Tensor* running_mean,
                            const Tensor* running_var, Tensor* num_batches_tracked, bool training, double momentum, double eps,
                            Tensor** out) {
  PT_GUARD({
    if (training) {
      // Python's F.batch_norm refuses this too: one value per channel has no variance.
      TORCH_CHECK(input->dim() >= 2 && input->numel() / input->size(1) > 1,
                  "Expected more than 1 value per channel when training, got input size ", input->sizes());
    }
    double factor = momentum < 0 ? 0.0 : momentum;
    if (training && num_batches_tracked) {
      num_batches_tracked->add_(1);
      if (momentum < 0) factor = 1.0 / num_batches_tracked->item<double>();
    }
    *out = pt::wrap(at::batch_norm(*input, opt(weight), opt(bias), opt(running_mean), opt(running_var), training, factor, eps, true));
  });
}

PT_EXPORT int pt_layer_norm(const Tensor* input, const int64_t* normalized_shape, int64_t n, const Tensor* weight,
                            const Tensor* bias, double eps, Tensor** out) {
  PT_GUARD({ *out = pt::wrap(at::layer_norm(*input, dims(normalized_shape, n), opt(weight), opt(bias), eps, true)); });
}

PT_EXPORT int pt_dropout(const Tensor* input, double p, bool training, Tensor** out) {
  PT_GUARD({
    TORCH_CHECK(p >= 0 && p <= 1, "dropout probability has to be between 0 and 1, but got ", p);
    *out = pt::wrap(at::dropout(*input, p, training));
  });
}

// padding_idx < 0 means none (the managed side resolves negative Python-style indexes first).
PT_EXPORT int pt_embedding(const Tensor* weight, const Tensor* indices, int64_t padding_idx, Tensor** out) {
  PT_GUARD({ *out = pt::wrap(at::embedding(*weight, *indices, padding_idx)); });
}

// ---- activations and shape helpers ---------------------------------------------------------

PT_EXPORT int pt_gelu(const Tensor* input, bool tanh_approximation, Tensor** out) {
  PT_GUARD({ *out = pt::wrap(at::gelu(*input, tanh_approximation ? "tanh" : "none")); });
}

PT_EXPORT int pt_one_hot(const Tensor* input, int64_t num_classes, Tensor** out) {
  PT_GUARD({ *out = pt::wrap(at::one_hot(*input, num_classes)); });
}

// mode: 0 constant, 1 reflect, 2 replicate, 3 circular (the managed PaddingModes order).
PT_EXPORT int pt_pad(const Tensor* input, const int64_t* pad, int64_t n, int mode, double value, Tensor** out) {
  PT_GUARD({
    static const char* const modes[] = {"constant", "reflect", "replicate", "circular"};
    TORCH_CHECK(mode >= 0 && mode < 4, "unknown padding mode ", mode);
    auto v = mode == 0 ? c10::optional<double>(value) : c10::nullopt;
    *out = pt::wrap(at::pad(*input, dims(pad, n), modes[mode], v));
  });
}

// ---- recurrent nets ------------------------------------------------------------------------

// params: per layer and direction, w_ih, w_hh[, b_ih, b_hh] (PyTorch's _flat_weights order).
PT_EXPORT int pt_lstm(const Tensor* input, const Tensor* h0, const Tensor* c0, const Tensor* const* params, int64_t nparams,
                      bool has_biases, int64_t num_layers, double dropout, bool train, bool bidirectional, bool batch_first,
                      Tensor** output, Tensor** h_n, Tensor** c_n) {
  PT_GUARD({
    TORCH_CHECK((h0 == nullptr) == (c0 == nullptr), "LSTM: give both initial states (h_0, c_0) or neither");
    auto weights = tensor_list(params, nparams);
    TORCH_CHECK(!weights.empty(), "LSTM: no weights");
    bool unbatched = is_unbatched(*input);
    auto x = unbatched ? input->unsqueeze(batch_first ? 0 : 1) : *input;
    int64_t layers_x_dirs = num_layers * (bidirectional ? 2 : 1);
    int64_t hidden = weights[1].size(1);
    Tensor hx[] = {initial_state(h0, x, unbatched, batch_first, layers_x_dirs, hidden),
                   initial_state(c0, x, unbatched, batch_first, layers_x_dirs, hidden)};
    auto r = at::lstm(x, hx, weights, has_biases, num_layers, dropout, train, bidirectional, batch_first);
    auto o = std::get<0>(r), h = std::get<1>(r), c = std::get<2>(r);
    if (unbatched) {
      o = o.squeeze(batch_first ? 0 : 1);
      h = h.squeeze(1);
      c = c.squeeze(1);
    }
    *output = pt::wrap(std::move(o));
    *h_n = pt::wrap(std::move(h));
    *c_n = pt::wrap(std::move(c));
  });
}

PT_EXPORT int pt_gru(const Tensor* input, const Tensor* h0, const Tensor* const* params, int64_t nparams, bool has_biases,
                     int64_t num_layers, double dropout, bool train, bool bidirectional, bool batch_first, Tensor** output,
                     Tensor** h_n) {
  PT_GUARD({
    auto weights = tensor_list(params, nparams);
    TORCH_CHECK(!weights.empty(), "GRU: no weights");
    bool unbatched = is_unbatched(*input);
    auto x = unbatched ? input->unsqueeze(batch_first ? 0 : 1) : *input;
    int64_t layers_x_dirs = num_layers * (bidirectional ? 2 : 1);
    auto hx = initial_state(h0, x, unbatched, batch_first, layers_x_dirs, weights[1].size(1));
    auto r = at::gru(x, hx, weights, has_biases, num_layers, dropout, train, bidirectional, batch_first);
    auto o = std::get<0>(r), h = std::get<1>(r);
    if (unbatched) {
      o = o.squeeze(batch_first ? 0 : 1);
      h = h.squeeze(1);
    }
    *output = pt::wrap(std::move(o));
    *h_n = pt::wrap(std::move(h));
  });
}

// ---- losses (reduction: 0 none, 1 mean, 2 sum, as at::Reduction) -----------------------------

PT_EXPORT int pt_cross_entropy(const Tensor* input, const Tensor* target, const Tensor* weight, int64_t reduction,
                               int64_t ignore_index, double label_smoothing, Tensor** out) {
  PT_GUARD({ *out = pt::wrap(at::cross_entropy_loss(*input, *target, opt(weight), reduction, ignore_index, label_smoothing)); });
}

PT_EXPORT int pt_nll_loss(const Tensor* input, const Tensor* target, const Tensor* weight, int64_t reduction,
                          int64_t ignore_index, Tensor** out) {
  PT_GUARD({ *out = pt::wrap(at::nll_loss_nd(*input, *target, opt(weight), reduction, ignore_index)); });
}

enum PointwiseLoss { MSE, L1, SMOOTH_L1 };

PT_EXPORT int pt_pointwise_loss(int kind, const Tensor* input, const Tensor* target, int64_t reduction, double beta, Tensor** out) {
  PT_GUARD({
    // PyTorch's Python layer broadcasts input and target before the ATen call; do the same.
    auto both = at::broadcast_tensors({*input, *target});
    Tensor r;
    switch (kind) {
      case MSE: r = at::mse_loss(both[0], both[1], reduction); break;
      case L1: r = at::l1_loss(both[0], both[1], reduction); break;
      case SMOOTH_L1: r = at::smooth_l1_loss(both[0], both[1], reduction, beta); break;
      default: TORCH_CHECK(false, "unknown pointwise loss ", kind);
    }
    *out = pt::wrap(std::move(r));
  });
}

PT_EXPORT int pt_binary_cross_entropy(const Tensor* input, const Tensor* target, const Tensor* weight, int64_t reduction,
                                      Tensor** out) {
  PT_GUARD({
    TORCH_CHECK(input->sizes() == target->sizes(), "binary_cross_entropy: target size ", target->sizes(),
                " differs from input size ", input->sizes());
    auto w = weight ? c10::optional<Tensor>(weight->expand(target->sizes())) : c10::nullopt;
    *out = pt::wrap(at::binary_cross_entropy(*input, *target, w, reduction));
  });
}

PT_EXPORT int pt_binary_cross_entropy_with_logits(const Tensor* input, const Tensor* target, const Tensor* weight,
                                                  const Tensor* pos_weight, int64_t reduction, Tensor** out) {
  PT_GUARD({
    TORCH_CHECK(input->sizes() == target->sizes(), "binary_cross_entropy_with_logits: target size ", target->sizes(),
                " differs from input size ", input->sizes());
    *out = pt::wrap(at::binary_cross_entropy_with_logits(*input, *target, opt(weight), opt(pos_weight), reduction));
  });
}
