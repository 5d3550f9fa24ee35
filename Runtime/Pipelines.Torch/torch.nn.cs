using Pipelines.Torch.Modules;

namespace Pipelines.Torch;

public static partial class torch
{
    /// <summary>
    /// Module factories, as PyTorch's <c>torch.nn</c> and TorchSharp's <c>torch.nn</c>: the modules
    /// (in <c>Pipelines.Torch.Modules</c>) get PyTorch's parameter names, shapes and default
    /// initialisation, so state dicts move between the two. <c>device</c> and
    /// <c>dtype</c> arguments place the new parameters (default: CPU, float32).
    /// </summary>
    public static partial class nn
    {
        /// <summary>A fully connected layer, <c>y = x Wᵀ + b</c>.</summary>
        public static Linear Linear(long in_features, long out_features, bool hasBias = true, Device? device = null, ScalarType? dtype = null) =>
            new(in_features, out_features, hasBias, device, dtype);

        /// <summary>A 1-D convolution; <paramref name="padding_mode"/> fills the padding with zeros (Constant), or by reflect, replicate or circular.</summary>
        public static Conv1d Conv1d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool hasBias = true, Device? device = null, ScalarType? dtype = null,
            PaddingModes padding_mode = PaddingModes.Constant) =>
            new(in_channels, out_channels, [kernel_size], [stride], [padding], [dilation], groups, hasBias, device, dtype, padding_mode);

        /// <summary>A 2-D convolution with a square kernel; <paramref name="padding_mode"/> fills the padding with zeros (Constant), or by reflect, replicate or circular.</summary>
        public static Conv2d Conv2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool hasBias = true, Device? device = null, ScalarType? dtype = null,
            PaddingModes padding_mode = PaddingModes.Constant) =>
            new(in_channels, out_channels, [kernel_size, kernel_size], [stride, stride], [padding, padding], [dilation, dilation], groups, hasBias, device, dtype, padding_mode);

        /// <summary>A 2-D convolution with per-dimension (height, width) sizes; null stride is 1, null padding 0, null dilation 1.</summary>
        public static Conv2d Conv2d(long in_channels, long out_channels, (long, long) kernel_size, (long, long)? stride = null, (long, long)? padding = null, (long, long)? dilation = null, long groups = 1, bool hasBias = true, Device? device = null, ScalarType? dtype = null,
            PaddingModes padding_mode = PaddingModes.Constant) =>
            new(in_channels, out_channels, Pair(kernel_size), Pair(stride ?? (1, 1)), Pair(padding ?? (0, 0)), Pair(dilation ?? (1, 1)), groups, hasBias, device, dtype, padding_mode);

        /// <summary>2-D max pooling with a square window; the stride defaults to the window size.</summary>
        public static MaxPool2d MaxPool2d(long kernel_size, long? stride = null, long padding = 0, long dilation = 1, bool ceil_mode = false) =>
            new(Square(kernel_size), Square(stride ?? kernel_size), Square(padding), Square(dilation), ceil_mode);

        /// <summary>2-D max pooling with a (height, width) window; the stride defaults to the window size.</summary>
        public static MaxPool2d MaxPool2d((long, long) kernel_size, (long, long)? stride = null, (long, long)? padding = null, (long, long)? dilation = null, bool ceil_mode = false) =>
            new(Pair(kernel_size), Pair(stride ?? kernel_size), Pair(padding ?? (0, 0)), Pair(dilation ?? (1, 1)), ceil_mode);

        /// <summary>2-D average pooling with a square window; the stride defaults to the window size.</summary>
        public static AvgPool2d AvgPool2d(long kernel_size, long? stride = null, long padding = 0, bool ceil_mode = false, bool count_include_pad = true, long? divisor_override = null) =>
            new(Square(kernel_size), Square(stride ?? kernel_size), Square(padding), ceil_mode, count_include_pad, divisor_override);

        /// <summary>2-D average pooling with a (height, width) window; the stride defaults to the window size.</summary>
        public static AvgPool2d AvgPool2d((long, long) kernel_size, (long, long)? stride = null, (long, long)? padding = null, bool ceil_mode = false, bool count_include_pad = true, long? divisor_override = null) =>
            new(Pair(kernel_size), Pair(stride ?? kernel_size), Pair(padding ?? (0, 0)), ceil_mode, count_include_pad, divisor_override);

        /// <summary>Average pooling to a square output of <paramref name="output_size"/>².</summary>
        public static AdaptiveAvgPool2d AdaptiveAvgPool2d(long output_size) => new(Square(output_size));

        /// <summary>Average pooling to an output of (height, width).</summary>
        public static AdaptiveAvgPool2d AdaptiveAvgPool2d((long, long) output_size) => new(Pair(output_size));

        /// <summary>Batch normalisation of (N, C) or (N, C, L) input; <paramref name="momentum"/> null is a cumulative average.</summary>
        public static BatchNorm1d BatchNorm1d(long num_features, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool track_running_stats = true, Device? device = null, ScalarType? dtype = null) =>
            new(num_features, eps, momentum, affine, track_running_stats, device, dtype);

        /// <summary>Batch normalisation of (N, C, H, W) input; <paramref name="momentum"/> null is a cumulative average.</summary>
        public static BatchNorm2d BatchNorm2d(long num_features, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool track_running_stats = true, Device? device = null, ScalarType? dtype = null) =>
            new(num_features, eps, momentum, affine, track_running_stats, device, dtype);

        /// <summary>Layer normalisation over the trailing dimensions <paramref name="normalized_shape"/>.</summary>
        public static LayerNorm LayerNorm(long[] normalized_shape, double eps = 1e-5, bool elementwise_affine = true, Device? device = null, ScalarType? dtype = null) =>
            new(normalized_shape, eps, elementwise_affine, device, dtype);

        /// <summary>Layer normalisation over the last dimension, of size <paramref name="normalized_shape"/>.</summary>
        public static LayerNorm LayerNorm(long normalized_shape, double eps = 1e-5, bool elementwise_affine = true, Device? device = null, ScalarType? dtype = null) =>
            new([normalized_shape], eps, elementwise_affine, device, dtype);

        /// <summary>Dropout with probability <paramref name="p"/>, active in training mode only.</summary>
        public static Dropout Dropout(double p = 0.5) => new(p);

        /// <summary>A lookup table of <paramref name="num_embeddings"/> vectors of size <paramref name="embedding_dim"/>.</summary>
        public static Embedding Embedding(long num_embeddings, long embedding_dim, long? padding_idx = null, Device? device = null, ScalarType? dtype = null) =>
            new(num_embeddings, embedding_dim, padding_idx, device, dtype);

        /// <summary>Flattens dimensions <paramref name="start_dim"/> to <paramref name="end_dim"/> (default: all but the batch dimension).</summary>
        public static Flatten Flatten(long start_dim = 1, long end_dim = -1) => new(start_dim, end_dim);

        /// <summary>max(0, x).</summary>
        public static ReLU ReLU() => new();

        /// <summary>Gaussian error linear unit; <paramref name="approximate"/> is "none" or "tanh".</summary>
        public static GELU GELU(string approximate = "none") => new(approximate);

        /// <summary>x * sigmoid(x).</summary>
        public static SiLU SiLU() => new();

        /// <summary>Hyperbolic tangent.</summary>
        public static Tanh Tanh() => new();

        /// <summary>Logistic sigmoid.</summary>
        public static Sigmoid Sigmoid() => new();

        /// <summary>Softmax along <paramref name="dim"/>.</summary>
        public static Softmax Softmax(long dim) => new(dim);

        /// <summary>Log-softmax along <paramref name="dim"/>.</summary>
        public static LogSoftmax LogSoftmax(long dim) => new(dim);

        /// <summary>An empty sequence; add layers with <see cref="Modules.Sequential.append(Module{Tensor, Tensor})"/>.</summary>
        public static Sequential Sequential() => new();

        /// <summary>Modules run in order, named "0", "1", ... as in PyTorch.</summary>
        public static Sequential Sequential(params Module<Tensor, Tensor>[] modules)
        {
            ArgumentNullException.ThrowIfNull(modules);
            var sequence = new Sequential();
            foreach (var module in modules)
                sequence.append(module);
            return sequence;
        }

        /// <summary>Named modules run in order (PyTorch's <c>Sequential(OrderedDict(...))</c>).</summary>
        public static Sequential Sequential(params (string name, Module<Tensor, Tensor> module)[] modules)
        {
            ArgumentNullException.ThrowIfNull(modules);
            var sequence = new Sequential();
            foreach (var (name, module) in modules)
                sequence.append(name, module);
            return sequence;
        }

        /// <summary>A multi-layer LSTM; input is (seq, batch, input_size), or (batch, seq, input_size) with <paramref name="batch_first"/>.</summary>
        public static LSTM LSTM(long input_size, long hidden_size, long num_layers = 1, bool hasBias = true, bool batch_first = false, double dropout = 0, bool bidirectional = false, Device? device = null, ScalarType? dtype = null) =>
            new(input_size, hidden_size, num_layers, hasBias, batch_first, dropout, bidirectional, device, dtype);

        /// <summary>A multi-layer GRU; input is (seq, batch, input_size), or (batch, seq, input_size) with <paramref name="batch_first"/>.</summary>
        public static GRU GRU(long input_size, long hidden_size, long num_layers = 1, bool hasBias = true, bool batch_first = false, double dropout = 0, bool bidirectional = false, Device? device = null, ScalarType? dtype = null) =>
            new(input_size, hidden_size, num_layers, hasBias, batch_first, dropout, bidirectional, device, dtype);

        static long[] Square(long value) => [value, value];

        static long[] Pair((long, long) value) => [value.Item1, value.Item2];
    }
}
