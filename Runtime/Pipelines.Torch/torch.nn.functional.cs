using Pipelines.Torch.Native;

namespace Pipelines.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// Stateless operations, as PyTorch's <c>torch.nn.functional</c>: the modules in
        /// <c>Pipelines.Torch.Modules</c> call these with their parameters. Every layer is one native call.
        /// </summary>
        public static partial class functional
        {
            /// <summary><c>input @ weight.T + bias</c>; <paramref name="weight"/> is (out_features, in_features).</summary>
            public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null)
            {
                ArgumentNullException.ThrowIfNull(input);
                ArgumentNullException.ThrowIfNull(weight);
                var result = Tensor.Call(LibTorch.pt_linear(input.Handle, weight.Handle, Tensor.RawOrNull(bias), out var r), r);
                GC.KeepAlive(bias);
                return result;
            }

            /// <summary>1-D convolution of (N, C_in, L) or (C_in, L) input with a (C_out, C_in / groups, K) weight.</summary>
            public static Tensor conv1d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, long[]? padding = null, long[]? dilation = null, long groups = 1) =>
                Convolution(1, input, weight, bias, stride, padding, dilation, groups);

            /// <summary>2-D convolution of (N, C_in, H, W) or (C_in, H, W) input with a (C_out, C_in / groups, kH, kW) weight.</summary>
            public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, long[]? padding = null, long[]? dilation = null, long groups = 1) =>
                Convolution(2, input, weight, bias, stride, padding, dilation, groups);

            static unsafe Tensor Convolution(int spatial, Tensor input, Tensor weight, Tensor? bias, long[]? stride, long[]? padding, long[]? dilation, long groups)
            {
                ArgumentNullException.ThrowIfNull(input);
                ArgumentNullException.ThrowIfNull(weight);
                Span<long> s = stackalloc long[spatial], p = stackalloc long[spatial], d = stackalloc long[spatial];
                Spatial(s, stride, 1, nameof(stride));
                Spatial(p, padding, 0, nameof(padding));
                Spatial(d, dilation, 1, nameof(dilation));
                fixed (long* ps = s, pp = p, pd = d)
                {
                    var result = Tensor.Call(LibTorch.pt_conv(input.Handle, weight.Handle, Tensor.RawOrNull(bias), spatial, ps, pp, pd, groups, out var r), r);
                    GC.KeepAlive(bias);
                    return result;
                }
            }

            /// <summary>Max pooling over (N, C, H, W) or (C, H, W) input; <paramref name="stride"/> defaults to the kernel size.</summary>
            public static unsafe Tensor max_pool2d(Tensor input, long[] kernel_size, long[]? stride = null, long[]? padding = null, long[]? dilation = null, bool ceil_mode = false)
            {
                ArgumentNullException.ThrowIfNull(input);
                Span<long> k = stackalloc long[2], s = stackalloc long[2], p = stackalloc long[2], d = stackalloc long[2];
                Spatial(k, kernel_size, 0, nameof(kernel_size), required: true);
                Spatial(s, stride is { Length: > 0 } ? stride : kernel_size, 0, nameof(stride));
                Spatial(p, padding, 0, nameof(padding));
                Spatial(d, dilation, 1, nameof(dilation));
                fixed (long* pk = k, ps = s, pp = p, pd = d)
                    return Tensor.Call(LibTorch.pt_max_pool2d(input.Handle, pk, ps, pp, pd, ceil_mode, out var r), r);
            }

            /// <summary>Max pooling with a square kernel; <paramref name="stride"/> defaults to the kernel size.</summary>
            public static Tensor max_pool2d(Tensor input, long kernel_size, long? stride = null, long padding = 0, long dilation = 1, bool ceil_mode = false) =>
                max_pool2d(input, [kernel_size], [stride ?? kernel_size], [padding], [dilation], ceil_mode);

            /// <summary>Average pooling over (N, C, H, W) or (C, H, W) input; <paramref name="stride"/> defaults to the kernel size.</summary>
            public static unsafe Tensor avg_pool2d(Tensor input, long[] kernel_size, long[]? stride = null, long[]? padding = null, bool ceil_mode = false, bool count_include_pad = true, long? divisor_override = null)
            {
                ArgumentNullException.ThrowIfNull(input);
                if (divisor_override is <= 0)
                    throw new ArgumentOutOfRangeException(nameof(divisor_override), divisor_override, "The divisor must be positive.");
                Span<long> k = stackalloc long[2], s = stackalloc long[2], p = stackalloc long[2];
                Spatial(k, kernel_size, 0, nameof(kernel_size), required: true);
                Spatial(s, stride is { Length: > 0 } ? stride : kernel_size, 0, nameof(stride));
                Spatial(p, padding, 0, nameof(padding));
                fixed (long* pk = k, ps = s, pp = p)
                    return Tensor.Call(LibTorch.pt_avg_pool2d(input.Handle, pk, ps, pp, ceil_mode, count_include_pad, divisor_override ?? 0, out var r), r);
            }

            /// <summary>Average pooling with a square kernel; <paramref name="stride"/> defaults to the kernel size.</summary>
            public static Tensor avg_pool2d(Tensor input, long kernel_size, long? stride = null, long padding = 0, bool ceil_mode = false, bool count_include_pad = true, long? divisor_override = null) =>
                avg_pool2d(input, [kernel_size], [stride ?? kernel_size], [padding], ceil_mode, count_include_pad, divisor_override);

            /// <summary>Average pooling to a fixed (H, W) output size, whatever the input size.</summary>
            public static unsafe Tensor adaptive_avg_pool2d(Tensor input, long[] output_size)
            {
                ArgumentNullException.ThrowIfNull(input);
                Span<long> o = stackalloc long[2];
                Spatial(o, output_size, 0, nameof(output_size), required: true);
                fixed (long* po = o)
                    return Tensor.Call(LibTorch.pt_adaptive_avg_pool2d(input.Handle, po, out var r), r);
            }

            /// <summary>Average pooling to a square output of <paramref name="output_size"/>².</summary>
            public static Tensor adaptive_avg_pool2d(Tensor input, long output_size) => adaptive_avg_pool2d(input, [output_size]);

            /// <summary>
            /// Batch normalisation over dimension 1. With <paramref name="training"/> it normalises by
            /// the batch statistics and moves the running statistics (when given) by
            /// <paramref name="momentum"/>; without, it normalises by the running statistics.
            /// </summary>
            public static Tensor batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight = null, Tensor? bias = null, bool training = false, double momentum = 0.1, double eps = 1e-5)
            {
                ArgumentNullException.ThrowIfNull(input);
                if (!training && (running_mean is null || running_var is null))
                    throw new ArgumentException("batch_norm in evaluation mode needs running_mean and running_var.", nameof(running_mean));
                return BatchNorm(input, running_mean, running_var, weight, bias, null, training, momentum, eps);
            }

            /// <summary>Batch norm that also counts batches (BatchNorm modules); momentum null is a cumulative average.</summary>
            internal static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias, Tensor? numBatchesTracked, bool training, double? momentum, double eps)
            {
                var result = Tensor.Call(LibTorch.pt_batch_norm(input.Handle, Tensor.RawOrNull(weight), Tensor.RawOrNull(bias), Tensor.RawOrNull(runningMean), Tensor.RawOrNull(runningVar),
                    Tensor.RawOrNull(numBatchesTracked), training, momentum ?? -1, eps, out var r), r);
                GC.KeepAlive(weight);
                GC.KeepAlive(bias);
                GC.KeepAlive(runningMean);
                GC.KeepAlive(runningVar);
                GC.KeepAlive(numBatchesTracked);
                return result;
            }

            /// <summary>Layer normalisation over the trailing dimensions given by <paramref name="normalized_shape"/>.</summary>
            public static unsafe Tensor layer_norm(Tensor input, long[] normalized_shape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
            {
                ArgumentNullException.ThrowIfNull(input);
                ArgumentNullException.ThrowIfNull(normalized_shape);
                fixed (long* shape = normalized_shape)
                {
                    var result = Tensor.Call(LibTorch.pt_layer_norm(input.Handle, shape, normalized_shape.Length, Tensor.RawOrNull(weight), Tensor.RawOrNull(bias), eps, out var r), r);
                    GC.KeepAlive(weight);
                    GC.KeepAlive(bias);
                    return result;
                }
            }

            /// <summary>Zeroes each element with probability <paramref name="p"/> and scales the rest by 1/(1-p), only when <paramref name="training"/>.</summary>
            public static Tensor dropout(Tensor input, double p = 0.5, bool training = true)
            {
                ArgumentNullException.ThrowIfNull(input);
                return Tensor.Call(LibTorch.pt_dropout(input.Handle, p, training, out var r), r);
            }

            /// <summary>Rows of <paramref name="weight"/> picked by the integer <paramref name="input"/>; the <paramref name="padding_idx"/> row gets no gradient.</summary>
            public static Tensor embedding(Tensor input, Tensor weight, long? padding_idx = null)
            {
                ArgumentNullException.ThrowIfNull(input);
                ArgumentNullException.ThrowIfNull(weight);
                var padding = padding_idx ?? -1;
                if (padding_idx < 0)
                    padding = weight.size(0) + padding_idx.Value;
                if (padding_idx.HasValue && (padding < 0 || padding >= weight.size(0)))
                    throw new ArgumentOutOfRangeException(nameof(padding_idx), padding_idx, $"padding_idx must be within the {weight.size(0)} embeddings.");
                return Tensor.Call(LibTorch.pt_embedding(weight.Handle, input.Handle, padding, out var r), r);
            }

            /// <summary>max(0, x).</summary>
            public static Tensor relu(Tensor input) => NotNull(input).relu();

            /// <summary>Gaussian error linear unit; <paramref name="approximate"/> is "none" (exact, erf) or "tanh".</summary>
            public static Tensor gelu(Tensor input, string approximate = "none")
            {
                ArgumentNullException.ThrowIfNull(input);
                var tanh = approximate switch
                {
                    "none" => false,
                    "tanh" => true,
                    _ => throw new ArgumentException($"approximate must be \"none\" or \"tanh\", not \"{approximate}\".", nameof(approximate)),
                };
                return Tensor.Call(LibTorch.pt_gelu(input.Handle, tanh, out var r), r);
            }

            /// <summary>x * sigmoid(x).</summary>
            public static Tensor silu(Tensor input) => NotNull(input).silu();

            /// <summary>Hyperbolic tangent.</summary>
            public static Tensor tanh(Tensor input) => NotNull(input).tanh();

            /// <summary>1 / (1 + exp(-x)).</summary>
            public static Tensor sigmoid(Tensor input) => NotNull(input).sigmoid();

            /// <summary>Softmax along <paramref name="dim"/>, optionally computed in <paramref name="dtype"/>.</summary>
            public static Tensor softmax(Tensor input, long dim, ScalarType? dtype = null) => NotNull(input).softmax(dim, dtype);

            /// <summary>Log-softmax along <paramref name="dim"/>, optionally computed in <paramref name="dtype"/>.</summary>
            public static Tensor log_softmax(Tensor input, long dim, ScalarType? dtype = null) => NotNull(input).log_softmax(dim, dtype);

            /// <summary>Int64 one-hot encoding with a new last dimension; -1 infers the class count from the largest index.</summary>
            public static Tensor one_hot(Tensor tensor, long num_classes = -1)
            {
                ArgumentNullException.ThrowIfNull(tensor);
                return Tensor.Call(LibTorch.pt_one_hot(tensor.Handle, num_classes, out var r), r);
            }

            /// <summary>
            /// Pads the trailing dimensions: <paramref name="pad"/> holds (left, right) pairs, the last
            /// dimension first, as in PyTorch. <paramref name="value"/> is used by the constant mode only.
            /// </summary>
            public static unsafe Tensor pad(Tensor input, long[] pad, PaddingModes mode = PaddingModes.Constant, double value = 0)
            {
                ArgumentNullException.ThrowIfNull(input);
                ArgumentNullException.ThrowIfNull(pad);
                if (pad.Length % 2 != 0)
                    throw new ArgumentException($"pad needs (left, right) pairs; got {pad.Length} values.", nameof(pad));
                fixed (long* p = pad)
                    return Tensor.Call(LibTorch.pt_pad(input.Handle, p, pad.Length, (int)mode, value, out var r), r);
            }

            /// <summary>Flattens dimensions <paramref name="start_dim"/> to <paramref name="end_dim"/> into one.</summary>
            public static Tensor flatten(Tensor input, long start_dim = 0, long end_dim = -1) => NotNull(input).flatten(start_dim, end_dim);

            static Tensor NotNull(Tensor input)
            {
                ArgumentNullException.ThrowIfNull(input);
                return input;
            }

            // Spreads a PyTorch-style int-or-tuple argument over `target`: null takes the default,
            // one value repeats, otherwise the length must match.
            static void Spatial(Span<long> target, long[]? values, long fallback, string name, bool required = false)
            {
                if (values is null || values.Length == 0)
                {
                    if (required)
                        throw new ArgumentException($"{name} needs 1 or {target.Length} values.", name);
                    target.Fill(fallback);
                }
                else if (values.Length == 1)
                    target.Fill(values[0]);
                else if (values.Length == target.Length)
                    values.CopyTo(target);
                else
                    throw new ArgumentException($"{name} needs 1 or {target.Length} values, got {values.Length}.", name);
            }
        }
    }
}
