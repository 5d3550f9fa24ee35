// Tensors: lifetime, creation, metadata, data transfer, shape operations and math.
#include "shim.h"

#include <cstring>
#include <vector>

using at::Tensor;

namespace {

struct pt_scalar {
  int32_t kind;  // 0 = floating, 1 = integral, 2 = boolean
  double d;
  int64_t i;
};

at::Scalar to_scalar(pt_scalar s) {
  switch (s.kind) {
    case 1: return at::Scalar(s.i);
    case 2: return at::Scalar(s.i != 0);
    default: return at::Scalar(s.d);
  }
}

at::IntArrayRef dims(const int64_t* data, int64_t length) { return at::IntArrayRef(data, static_cast<size_t>(length)); }

std::vector<int64_t> reversed_dims(int64_t ndim) {
  std::vector<int64_t> order(static_cast<size_t>(ndim));
  for (int64_t i = 0; i < ndim; ++i) order[static_cast<size_t>(i)] = ndim - 1 - i;
  return order;
}

std::vector<Tensor> tensor_list(const Tensor* const* handles, int64_t count) {
  std::vector<Tensor> list;
  list.reserve(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) list.push_back(*handles[i]);
  return list;
}

// "[2, 3] and [4, 5]": the operand shapes of a failed call, appended to libtorch's message.
std::string shapes(const char* op, std::initializer_list<const Tensor*> operands) {
  std::string text = std::string(op) + " of tensors with shapes ";
  bool first = true;
  for (auto* t : operands) {
    if (!first) text += " and ";
    text += pt::shape_of(*t);
    first = false;
  }
  return text;
}

std::string list_shapes(const char* op, const Tensor* const* handles, int64_t count) {
  std::string text = std::string(op) + " of tensors with shapes ";
  for (int64_t i = 0; i < count; ++i) text += (i ? ", " : "") + pt::shape_of(*handles[i]);
  return text;
}

std::string reshape_context(const char* op, const Tensor& t, const int64_t* shape, int64_t n) {
  std::ostringstream out;
  out << op << " of a tensor of shape " << t.sizes() << " to " << dims(shape, n);
  return out.str();
}

}  // namespace

// ---- lifetime ------------------------------------------------------------------------------

PT_EXPORT void pt_tensor_free(Tensor* t) { delete t; }

PT_EXPORT int pt_tensor_shallow_copy(const Tensor* t, Tensor** out) {
  PT_GUARD({ *out = new Tensor(*t); });
}

// Replaces the storage a tensor refers to (Module.to keeps parameter objects, as PyTorch does).
PT_EXPORT int pt_tensor_set_data(Tensor* t, const Tensor* data) {
  PT_GUARD({ t->set_data(*data); });
}

// ---- creation ------------------------------------------------------------------------------

PT_EXPORT int pt_zeros(const int64_t* shape, int64_t ndim, int dtype, int dev, int idx, bool rg, Tensor** out) {
  PT_GUARD({ *out = pt::wrap(pt::requiring_grad(at::zeros(dims(shape, ndim), pt::options(dtype, dev, idx)), rg)); });
}

PT_EXPORT int pt_ones(const int64_t* shape, int64_t ndim, int dtype, int dev, int idx, bool rg, Tensor** out) {
  PT_GUARD({ *out = pt::wrap(pt::requiring_grad(at::ones(dims(shape, ndim), pt::options(dtype, dev, idx)), rg)); });
}

PT_EXPORT int pt_empty(const int64_t* shape, int64_t ndim, int dtype, int dev, int idx, bool rg, Tensor** out) {
  PT_GUARD({ *out = pt::wrap(pt::requiring_grad(at::empty(dims(shape, ndim), pt::options(dtype, dev, idx)), rg)); });
}

PT_EXPORT int pt_full(const int64_t* shape, int64_t ndim, pt_scalar value, int dtype, int dev, int idx, bool rg, Tensor** out) {
  PT_GUARD({ *out = pt::wrap(pt::requiring_grad(at::full(dims(shape, ndim), to_scalar(value), pt::options(dtype, dev, idx)), rg)); });
}

PT_EXPORT int pt_arange(pt_scalar start, pt_scalar end, pt_scalar step, int dtype, int dev, int idx, bool rg, Tensor** out) {
  PT_GUARD({ *out = pt::wrap(pt::requiring_grad(at::arange(to_scalar(start), to_scalar(end), to_scalar(step), pt::options(dtype, dev, idx)), rg)); });
}

PT_EXPORT int pt_rand(const int64_t* shape, int64_t ndim, int dtype, int dev, int idx, bool rg, Tensor** out) {
  PT_GUARD({ *out = pt::wrap(pt::requiring_grad(at::rand(dims(shape, ndim), pt::options(dtype, dev, idx)), rg)); });
}

PT_EXPORT int pt_randn(const int64_t* shape, int64_t ndim, int dtype, int dev, int idx, bool rg, Tensor** out) {
  PT_GUARD({ *out = pt::wrap(pt::requiring_grad(at::randn(dims(shape, ndim), pt::options(dtype, dev, idx)), rg)); });
}

PT_EXPORT int pt_randint(int64_t low, int64_t high, const int64_t* shape, int64_t ndim, int dtype, int dev, int idx, Tensor** out) {
  PT_GUARD({ *out = pt::wrap(at::randint(low, high, dims(shape, ndim), pt::options(dtype, dev, idx))); });
}

PT_EXPORT int pt_randperm(int64_t n, int dtype, int dev, int idx, Tensor** out) {
  PT_GUARD({ *out = pt::wrap(at::randperm(n, pt::options(dtype, dev, idx))); });
}

// Copies `nbytes` of host data into a new CPU tensor of the given shape and dtype.
PT_EXPORT int pt_from_data(const void* data, int64_t nbytes, const int64_t* shape, int64_t ndim, int dtype, Tensor** out) {
  PT_GUARD({
    auto t = at::empty(dims(shape, ndim), at::TensorOptions().dtype(pt::scalar_type(dtype)));
    TORCH_CHECK(static_cast<int64_t>(t.nbytes()) == nbytes, "pt_from_data: ", nbytes, " bytes given for a tensor of shape ",
                t.sizes(), " and dtype ", t.scalar_type(), " that needs ", t.nbytes());
    if (nbytes > 0) std::memcpy(t.data_ptr(), data, static_cast<size_t>(nbytes));
    *out = pt::wrap(std::move(t));
  });
}

PT_EXPORT int pt_manual_seed(int64_t seed) {
  PT_GUARD({ at::manual_seed(static_cast<uint64_t>(seed)); });
}

// ---- metadata ------------------------------------------------------------------------------

PT_EXPORT int pt_tensor_ndim(const Tensor* t, int64_t* out) { PT_GUARD({ *out = t->dim(); }); }

PT_EXPORT int pt_tensor_shape(const Tensor* t, int64_t* out, int64_t capacity) {
  PT_GUARD({
    TORCH_CHECK(capacity >= t->dim(), "shape buffer too small");
    for (int64_t i = 0; i < t->dim(); ++i) out[i] = t->size(i);
  });
}

PT_EXPORT int pt_tensor_numel(const Tensor* t, int64_t* out) { PT_GUARD({ *out = t->numel(); }); }

PT_EXPORT int pt_tensor_dtype(const Tensor* t, int* out) { PT_GUARD({ *out = static_cast<int>(t->scalar_type()); }); }

PT_EXPORT int pt_tensor_device(const Tensor* t, int* type, int* index) {
  PT_GUARD({
    *type = static_cast<int>(t->device().type());
    *index = t->device().index();
  });
}

PT_EXPORT int pt_tensor_is_contiguous(const Tensor* t, bool* out) { PT_GUARD({ *out = t->is_contiguous(); }); }

PT_EXPORT int pt_tensor_is_pinned(const Tensor* t, bool* out) { PT_GUARD({ *out = t->is_pinned(); }); }

// ---- data transfer -------------------------------------------------------------------------

// Copies a tensor's elements into a host buffer (moving to CPU and making it contiguous first).
PT_EXPORT int pt_tensor_copy_to(const Tensor* t, void* buffer, int64_t nbytes) {
  PT_GUARD({
    auto host = t->detach().to(at::kCPU).contiguous();
    TORCH_CHECK(static_cast<int64_t>(host.nbytes()) == nbytes, "buffer of ", nbytes, " bytes for a tensor of ", host.nbytes());
    if (nbytes > 0) std::memcpy(buffer, host.data_ptr(), static_cast<size_t>(nbytes));
  });
}

PT_EXPORT int pt_tensor_item(const Tensor* t, double* out) {
  PT_GUARD({ *out = t->item<double>(); });
}

PT_EXPORT int pt_tensor_item_long(const Tensor* t, int64_t* out) {
  PT_GUARD({ *out = t->item<int64_t>(); });
}

PT_EXPORT int pt_to_device(const Tensor* t, int dev, int idx, bool non_blocking, bool copy, Tensor** out) {
  PT_GUARD({ *out = pt::wrap(t->to(pt::device(dev, idx), non_blocking, copy)); });
}

PT_EXPORT int pt_to_dtype(const Tensor* t, int dtype, bool non_blocking, bool copy, Tensor** out) {
  PT_GUARD({ *out = pt::wrap(t->to(pt::scalar_type(dtype), non_blocking, copy)); });
}

PT_EXPORT int pt_pin_memory(const Tensor* t, Tensor** out) { PT_GUARD({ *out = pt::wrap(t->pin_memory()); }); }

PT_EXPORT int pt_copy_(Tensor* t, const Tensor* src, bool non_blocking) { PT_GUARD_WITH(shapes("copy_", {t, src}), { t->copy_(*src, non_blocking); }); }

// ---- shape operations ----------------------------------------------------------------------

PT_EXPORT int pt_view(const Tensor* t, const int64_t* shape, int64_t n, Tensor** out) {
  PT_GUARD_WITH(reshape_context("view", *t, shape, n), { *out = pt::wrap(t->view(dims(shape, n))); });
}
PT_EXPORT int pt_reshape(const Tensor* t, const int64_t* shape, int64_t n, Tensor** out) {
  PT_GUARD_WITH(reshape_context("reshape", *t, shape, n), { *out = pt::wrap(t->reshape(dims(shape, n))); });
}
PT_EXPORT int pt_expand(const Tensor* t, const int64_t* shape, int64_t n, Tensor** out) {
  PT_GUARD_WITH(reshape_context("expand", *t, shape, n), { *out = pt::wrap(t->expand(dims(shape, n))); });
}
PT_EXPORT int pt_permute(const Tensor* t, const int64_t* order, int64_t n, Tensor** out) { PT_GUARD({ *out = pt::wrap(t->permute(dims(order, n))); }); }
PT_EXPORT int pt_flatten(const Tensor* t, int64_t start, int64_t end, Tensor** out) { PT_GUARD({ *out = pt::wrap(t->flatten(start, end)); }); }
PT_EXPORT int pt_squeeze(const Tensor* t, Tensor** out) { PT_GUARD({ *out = pt::wrap(t->squeeze()); }); }
PT_EXPORT int pt_squeeze_dim(const Tensor* t, int64_t dim, Tensor** out) { PT_GUARD({ *out = pt::wrap(t->squeeze(dim)); }); }
PT_EXPORT int pt_unsqueeze(const Tensor* t, int64_t dim, Tensor** out) { PT_GUARD({ *out = pt::wrap(t->unsqueeze(dim)); }); }
PT_EXPORT int pt_transpose(const Tensor* t, int64_t a, int64_t b, Tensor** out) { PT_GUARD({ *out = pt::wrap(t->transpose(a, b)); }); }
// PyTorch's t(): a 0-D or 1-D tensor is returned as is, a 2-D one transposed.
PT_EXPORT int pt_t(const Tensor* t, Tensor** out) { PT_GUARD({ *out = pt::wrap(t->t()); }); }
// PyTorch's .T: every dimension reversed.
PT_EXPORT int pt_numpy_t(const Tensor* t, Tensor** out) { PT_GUARD({ *out = pt::wrap(t->permute(reversed_dims(t->dim()))); }); }
PT_EXPORT int pt_narrow(const Tensor* t, int64_t dim, int64_t start, int64_t length, Tensor** out) { PT_GUARD({ *out = pt::wrap(t->narrow(dim, start, length)); }); }
PT_EXPORT int pt_select(const Tensor* t, int64_t dim, int64_t index, Tensor** out) { PT_GUARD({ *out = pt::wrap(t->select(dim, index)); }); }
PT_EXPORT int pt_index_select(const Tensor* t, int64_t dim, const Tensor* index, Tensor** out) { PT_GUARD({ *out = pt::wrap(t->index_select(dim, *index)); }); }
PT_EXPORT int pt_gather(const Tensor* t, int64_t dim, const Tensor* index, Tensor** out) { PT_GUARD({ *out = pt::wrap(t->gather(dim, *index)); }); }
PT_EXPORT int pt_masked_fill(const Tensor* t, const Tensor* mask, pt_scalar value, Tensor** out) { PT_GUARD_WITH(shapes("masked_fill", {t, mask}), { *out = pt::wrap(t->masked_fill(*mask, to_scalar(value))); }); }
PT_EXPORT int pt_masked_select(const Tensor* t, const Tensor* mask, Tensor** out) { PT_GUARD({ *out = pt::wrap(t->masked_select(*mask)); }); }
PT_EXPORT int pt_contiguous(const Tensor* t, Tensor** out) { PT_GUARD({ *out = pt::wrap(t->contiguous()); }); }
PT_EXPORT int pt_clone(const Tensor* t, Tensor** out) { PT_GUARD({ *out = pt::wrap(t->clone()); }); }
PT_EXPORT int pt_cat(const Tensor* const* ts, int64_t n, int64_t dim, Tensor** out) {
  PT_GUARD_WITH(list_shapes("cat", ts, n), { *out = pt::wrap(at::cat(tensor_list(ts, n), dim)); });
}
PT_EXPORT int pt_stack(const Tensor* const* ts, int64_t n, int64_t dim, Tensor** out) {
  PT_GUARD_WITH(list_shapes("stack", ts, n), { *out = pt::wrap(at::stack(tensor_list(ts, n), dim)); });
}
PT_EXPORT int pt_where(const Tensor* cond, const Tensor* a, const Tensor* b, Tensor** out) {
  PT_GUARD_WITH(shapes("where", {cond, a, b}), { *out = pt::wrap(at::where(*cond, *a, *b)); });
}

// ---- arithmetic (op codes keep the ABI small; the managed side names each op) ---------------

enum BinaryOp { ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, EQ, NE, LT, LE, GT, GE, MATMUL, REMAINDER, ATAN2, LOGICAL_AND, LOGICAL_OR, BITWISE_AND, BITWISE_OR, BITWISE_XOR };

static const char* binary_name(int op) {
  static const char* const names[] = {"add", "sub", "mul", "div", "pow", "maximum", "minimum", "eq", "ne", "lt", "le", "gt", "ge",
                                      "matmul", "remainder", "atan2", "logical_and", "logical_or", "bitwise_and", "bitwise_or", "bitwise_xor"};
  return op >= 0 && op < static_cast<int>(sizeof(names) / sizeof(names[0])) ? names[op] : "binary op";
}

static Tensor binary(int op, const Tensor& a, const Tensor& b) {
  switch (op) {
    case ADD: return a.add(b);
    case SUB: return a.sub(b);
    case MUL: return a.mul(b);
    case DIV: return a.div(b);
    case POW: return a.pow(b);
    case MAXIMUM: return at::maximum(a, b);
    case MINIMUM: return at::minimum(a, b);
    case EQ: return a.eq(b);
    case NE: return a.ne(b);
    case LT: return a.lt(b);
    case LE: return a.le(b);
    case GT: return a.gt(b);
    case GE: return a.ge(b);
    case MATMUL: return a.matmul(b);
    case REMAINDER: return a.remainder(b);
    case ATAN2: return a.atan2(b);
    case LOGICAL_AND: return a.logical_and(b);
    case LOGICAL_OR: return a.logical_or(b);
    case BITWISE_AND: return a.bitwise_and(b);
    case BITWISE_OR: return a.bitwise_or(b);
    case BITWISE_XOR: return a.bitwise_xor(b);
  }
  TORCH_CHECK(false, "unknown binary op ", op);
}

static Tensor binary_scalar(int op, const Tensor& a, const at::Scalar& b) {
  switch (op) {
    case ADD: return a.add(b);
    case SUB: return a.sub(b);
    case MUL: return a.mul(b);
    case DIV: return a.div(b);
    case POW: return a.pow(b);
    case EQ: return a.eq(b);
    case NE: return a.ne(b);
    case LT: return a.lt(b);
    case LE: return a.le(b);
    case GT: return a.gt(b);
    case GE: return a.ge(b);
    case REMAINDER: return a.remainder(b);
    case BITWISE_AND: return a.bitwise_and(b);
    case BITWISE_OR: return a.bitwise_or(b);
    case BITWISE_XOR: return a.bitwise_xor(b);
  }
  TORCH_CHECK(false, "binary op ", op, " takes no scalar operand");
}

PT_EXPORT int pt_binary(int op, const Tensor* a, const Tensor* b, Tensor** out) {
  PT_GUARD_WITH(shapes(binary_name(op), {a, b}), { *out = pt::wrap(binary(op, *a, *b)); });
}
PT_EXPORT int pt_binary_scalar(int op, const Tensor* a, pt_scalar b, Tensor** out) { PT_GUARD({ *out = pt::wrap(binary_scalar(op, *a, to_scalar(b))); }); }
// scalar - tensor and scalar / tensor, for the C# operators with the scalar on the left.
PT_EXPORT int pt_rsub_scalar(const Tensor* a, pt_scalar b, Tensor** out) { PT_GUARD({ *out = pt::wrap(at::rsub(*a, to_scalar(b))); }); }
PT_EXPORT int pt_rdiv_scalar(const Tensor* a, pt_scalar b, Tensor** out) { PT_GUARD({ *out = pt::wrap(a->reciprocal().mul(to_scalar(b))); }); }
PT_EXPORT int pt_add_scaled(const Tensor* a, const Tensor* b, pt_scalar alpha, Tensor** out) { PT_GUARD_WITH(shapes("add", {a, b}), { *out = pt::wrap(a->add(*b, to_scalar(alpha))); }); }

PT_EXPORT int pt_binary_(int op, Tensor* a, const Tensor* b) {
  PT_GUARD_WITH(shapes(binary_name(op), {a, b}), {
    switch (op) {
      case ADD: a->add_(*b); break;
      case SUB: a->sub_(*b); break;
      case MUL: a->mul_(*b); break;
      case DIV: a->div_(*b); break;
      default: TORCH_CHECK(false, "binary op ", op, " has no in-place form");
    }
  });
}

PT_EXPORT int pt_binary_scalar_(int op, Tensor* a, pt_scalar b) {
  PT_GUARD({
    auto s = to_scalar(b);
    switch (op) {
      case ADD: a->add_(s); break;
      case SUB: a->sub_(s); break;
      case MUL: a->mul_(s); break;
      case DIV: a->div_(s); break;
      default: TORCH_CHECK(false, "binary op ", op, " has no in-place scalar form");
    }
  });
}

PT_EXPORT int pt_add_scaled_(Tensor* a, const Tensor* b, pt_scalar alpha) { PT_GUARD_WITH(shapes("add_", {a, b}), { a->add_(*b, to_scalar(alpha)); }); }
PT_EXPORT int pt_fill_(Tensor* a, pt_scalar value) { PT_GUARD({ a->fill_(to_scalar(value)); }); }
PT_EXPORT int pt_zero_(Tensor* a) { PT_GUARD({ a->zero_(); }); }
PT_EXPORT int pt_normal_(Tensor* a, double mean, double std) { PT_GUARD({ a->normal_(mean, std); }); }
PT_EXPORT int pt_uniform_(Tensor* a, double from, double to) { PT_GUARD({ a->uniform_(from, to); }); }

enum UnaryOp { NEG, EXP, LOG, SQRT, RSQRT, ABS, SIGMOID, TANH, RELU, SIN, COS, FLOOR, CEIL, ROUND, SIGN, RECIPROCAL, LOG1P, EXPM1, LOGICAL_NOT, ISNAN, ISINF, SQUARE, GELU, SILU, ISFINITE, BITWISE_NOT };

PT_EXPORT int pt_unary(int op, const Tensor* t, Tensor** out) {
  PT_GUARD({
    const Tensor& a = *t;
    Tensor r;
    switch (op) {
      case NEG: r = a.neg(); break;
      case EXP: r = a.exp(); break;
      case LOG: r = a.log(); break;
      case SQRT: r = a.sqrt(); break;
      case RSQRT: r = a.rsqrt(); break;
      case ABS: r = a.abs(); break;
      case SIGMOID: r = a.sigmoid(); break;
      case TANH: r = a.tanh(); break;
      case RELU: r = a.relu(); break;
      case SIN: r = a.sin(); break;
      case COS: r = a.cos(); break;
      case FLOOR: r = a.floor(); break;
      case CEIL: r = a.ceil(); break;
      case ROUND: r = a.round(); break;
      case SIGN: r = a.sign(); break;
      case RECIPROCAL: r = a.reciprocal(); break;
      case LOG1P: r = a.log1p(); break;
      case EXPM1: r = a.expm1(); break;
      case LOGICAL_NOT: r = a.logical_not(); break;
      case ISNAN: r = a.isnan(); break;
      case ISINF: r = a.isinf(); break;
      case SQUARE: r = a.square(); break;
      case GELU: r = at::gelu(a); break;
      case SILU: r = at::silu(a); break;
      case ISFINITE: r = a.isfinite(); break;
      case BITWISE_NOT: r = a.bitwise_not(); break;
      default: TORCH_CHECK(false, "unknown unary op ", op);
    }
    *out = pt::wrap(std::move(r));
  });
}

PT_EXPORT int pt_relu_(Tensor* t) { PT_GUARD({ t->relu_(); }); }

// Scalar bounds, so that an integral tensor clamped by integers stays integral, as in PyTorch.
PT_EXPORT int pt_clamp(const Tensor* t, bool has_min, pt_scalar min, bool has_max, pt_scalar max, Tensor** out) {
  PT_GUARD({
    c10::optional<at::Scalar> lo = has_min ? c10::optional<at::Scalar>(to_scalar(min)) : c10::nullopt;
    c10::optional<at::Scalar> hi = has_max ? c10::optional<at::Scalar>(to_scalar(max)) : c10::nullopt;
    *out = pt::wrap(t->clamp(lo, hi));
  });
}

PT_EXPORT int pt_softmax(const Tensor* t, int64_t dim, int dtype, Tensor** out) { PT_GUARD({ *out = pt::wrap(t->softmax(dim, pt::optional_dtype(dtype))); }); }
PT_EXPORT int pt_log_softmax(const Tensor* t, int64_t dim, int dtype, Tensor** out) { PT_GUARD({ *out = pt::wrap(t->log_softmax(dim, pt::optional_dtype(dtype))); }); }

// ---- reductions ----------------------------------------------------------------------------

enum ReduceOp { SUM, MEAN, PROD, AMAX, AMIN, STD, VAR, NORM, ANY, ALL, ARGMAX, ARGMIN, LOGSUMEXP };

// ndim < 0 reduces over all elements; `correction` applies to STD/VAR (1 = unbiased), `p` to NORM.
PT_EXPORT int pt_reduce(int op, const Tensor* t, const int64_t* dims_, int64_t ndim, bool keepdim, int dtype, int64_t correction, double p, Tensor** out) {
  PT_GUARD({
    const Tensor& a = *t;
    bool all = ndim < 0;
    auto d = all ? at::IntArrayRef() : dims(dims_, ndim);
    Tensor r;
    switch (op) {
      case SUM: r = all ? a.sum(pt::optional_dtype(dtype)) : a.sum(d, keepdim, pt::optional_dtype(dtype)); break;
      case MEAN: r = all ? a.mean(pt::optional_dtype(dtype)) : a.mean(d, keepdim, pt::optional_dtype(dtype)); break;
      case PROD:
        TORCH_CHECK(all || ndim == 1, "prod reduces over one dimension or all of them");
        r = all ? a.prod(pt::optional_dtype(dtype)) : a.prod(d[0], keepdim, pt::optional_dtype(dtype));
        break;
      case AMAX: r = a.amax(d, keepdim); break;
      case AMIN: r = a.amin(d, keepdim); break;
      case STD: r = all ? at::std(a, at::OptionalIntArrayRef(), correction, false) : at::std(a, d, correction, keepdim); break;
      case VAR: r = all ? at::var(a, at::OptionalIntArrayRef(), correction, false) : at::var(a, d, correction, keepdim); break;
      case NORM: r = all ? at::norm(a, p) : at::norm(a, p, d, keepdim); break;
      case ANY: TORCH_CHECK(all || ndim == 1, "any reduces over one dimension or all of them"); r = all ? a.any() : a.any(d[0], keepdim); break;
      case ALL: TORCH_CHECK(all || ndim == 1, "all reduces over one dimension or all of them"); r = all ? a.all() : a.all(d[0], keepdim); break;
      case ARGMAX: TORCH_CHECK(all || ndim == 1, "argmax reduces over one dimension or all of them"); r = all ? a.argmax() : a.argmax(d[0], keepdim); break;
      case ARGMIN: TORCH_CHECK(all || ndim == 1, "argmin reduces over one dimension or all of them"); r = all ? a.argmin() : a.argmin(d[0], keepdim); break;
      case LOGSUMEXP: {
        // logsumexp has no "all dimensions" form: an empty list reduces nothing.
        auto every = reversed_dims(a.dim());
        r = at::logsumexp(a, all ? at::IntArrayRef(every) : d, all ? false : keepdim);
        break;
      }
      default: TORCH_CHECK(false, "unknown reduction ", op);
    }
    *out = pt::wrap(std::move(r));
  });
}

// max/min along a dimension with their indices (PyTorch's torch.max(x, dim)).
PT_EXPORT int pt_max_dim(const Tensor* t, int64_t dim, bool keepdim, bool is_min, Tensor** values, Tensor** indices) {
  PT_GUARD({
    auto r = is_min ? t->min(dim, keepdim) : t->max(dim, keepdim);
    *values = pt::wrap(std::move(std::get<0>(r)));
    *indices = pt::wrap(std::move(std::get<1>(r)));
  });
}

PT_EXPORT int pt_topk(const Tensor* t, int64_t k, int64_t dim, bool largest, bool sorted, Tensor** values, Tensor** indices) {
  PT_GUARD({
    auto r = t->topk(k, dim, largest, sorted);
    *values = pt::wrap(std::move(std::get<0>(r)));
    *indices = pt::wrap(std::move(std::get<1>(r)));
  });
}

PT_EXPORT int pt_allclose(const Tensor* a, const Tensor* b, double rtol, double atol, bool* out) {
  PT_GUARD({ *out = a->allclose(*b, rtol, atol); });
}

PT_EXPORT int pt_equal(const Tensor* a, const Tensor* b, bool* out) { PT_GUARD({ *out = a->equal(*b); }); }
