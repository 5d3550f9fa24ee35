namespace Pipelines.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// PyTorch's <c>torch.nn.init</c>: fills a tensor in place (without recording gradients) and
        /// returns it. With the same seed the values equal PyTorch's, draw for draw.
        /// </summary>
        public static class init
        {
            /// <summary>Which fan <see cref="kaiming_uniform_"/> and <see cref="kaiming_normal_"/> preserve the variance of.</summary>
            public enum FanMode
            {
                /// <summary>The inputs (the forward pass's variance).</summary>
                FanIn,

                /// <summary>The outputs (the backward pass's variance).</summary>
                FanOut,
            }

            /// <summary>The nonlinearity that follows the layer, for <see cref="calculate_gain"/>.</summary>
            public enum Nonlinearity
            {
                /// <summary>None, or a linear or convolution function: gain 1.</summary>
                Linear,

                /// <summary>Sigmoid: gain 1.</summary>
                Sigmoid,

                /// <summary>Tanh: gain 5/3.</summary>
                Tanh,

                /// <summary>ReLU: gain sqrt(2).</summary>
                ReLU,

                /// <summary>Leaky ReLU with the given negative slope (0.01 when not given): gain sqrt(2 / (1 + slope^2)).</summary>
                LeakyReLU,

                /// <summary>SELU: gain 3/4.</summary>
                SELU,
            }

            /// <summary>The recommended gain for <paramref name="nonlinearity"/>; <paramref name="param"/> is Leaky ReLU's negative slope.</summary>
            public static double calculate_gain(Nonlinearity nonlinearity, double? param = null) => nonlinearity switch
            {
                Nonlinearity.Linear or Nonlinearity.Sigmoid => 1.0,
                Nonlinearity.Tanh => 5.0 / 3,
                Nonlinearity.ReLU => Math.Sqrt(2.0),
                Nonlinearity.LeakyReLU => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
                Nonlinearity.SELU => 3.0 / 4,
                _ => throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, "Unknown nonlinearity."),
            };

            /// <summary>Fills with values drawn from U(<paramref name="a"/>, <paramref name="b"/>).</summary>
            public static Tensor uniform_(Tensor tensor, double a = 0, double b = 1)
            {
                ArgumentNullException.ThrowIfNull(tensor);
                using var guard = no_grad();
                return tensor.uniform_(a, b);
            }

            /// <summary>Fills with values drawn from N(<paramref name="mean"/>, <paramref name="std"/>²).</summary>
            public static Tensor normal_(Tensor tensor, double mean = 0, double std = 1)
            {
                ArgumentNullException.ThrowIfNull(tensor);
                using var guard = no_grad();
                return tensor.normal_(mean, std);
            }

            /// <summary>Fills with <paramref name="value"/>.</summary>
            public static Tensor constant_(Tensor tensor, Scalar value)
            {
                ArgumentNullException.ThrowIfNull(tensor);
                using var guard = no_grad();
                return tensor.fill_(value);
            }

            /// <summary>Fills with ones.</summary>
            public static Tensor ones_(Tensor tensor) => constant_(tensor, 1);

            /// <summary>Fills with zeros.</summary>
            public static Tensor zeros_(Tensor tensor)
            {
                ArgumentNullException.ThrowIfNull(tensor);
                using var guard = no_grad();
                return tensor.zero_();
            }

            /// <summary>
            /// Glorot's uniform initialisation: U(-bound, bound) with
            /// bound = gain * sqrt(6 / (fan_in + fan_out)).
            /// </summary>
            public static Tensor xavier_uniform_(Tensor tensor, double gain = 1.0)
            {
                var (fanIn, fanOut) = Fans(tensor);
                var bound = gain * Math.Sqrt(2.0 / (fanIn + fanOut)) * Math.Sqrt(3.0);
                return uniform_(tensor, -bound, bound);
            }

            /// <summary>Glorot's normal initialisation: N(0, std²) with std = gain * sqrt(2 / (fan_in + fan_out)).</summary>
            public static Tensor xavier_normal_(Tensor tensor, double gain = 1.0)
            {
                var (fanIn, fanOut) = Fans(tensor);
                return normal_(tensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)));
            }

            /// <summary>
            /// He's uniform initialisation: U(-bound, bound) with bound = gain * sqrt(3 / fan), the gain
            /// from <paramref name="nonlinearity"/> and <paramref name="a"/> (Leaky ReLU's negative slope).
            /// </summary>
            public static Tensor kaiming_uniform_(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyReLU)
            {
                // As in PyTorch, a tensor with no elements is left as it is.
                if (Fans(tensor) is (0, _) or (_, 0))
                    return tensor;
                var bound = Math.Sqrt(3.0) * KaimingStd(tensor, a, mode, nonlinearity);
                return uniform_(tensor, -bound, bound);
            }

            /// <summary>He's normal initialisation: N(0, std²) with std = gain / sqrt(fan).</summary>
            public static Tensor kaiming_normal_(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyReLU) =>
                Fans(tensor) is (0, _) or (_, 0) ? tensor : normal_(tensor, 0, KaimingStd(tensor, a, mode, nonlinearity));

            static double KaimingStd(Tensor tensor, double a, FanMode mode, Nonlinearity nonlinearity)
            {
                var (fanIn, fanOut) = Fans(tensor);
                var fan = mode switch
                {
                    FanMode.FanIn => fanIn,
                    FanMode.FanOut => fanOut,
                    _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown fan mode."),
                };
                return calculate_gain(nonlinearity, a) / Math.Sqrt(fan);
            }

            /// <summary>
            /// PyTorch's fan-in and fan-out: a weight's second and first dimension, each times the
            /// product of the remaining (receptive field) dimensions.
            /// </summary>
            static (long FanIn, long FanOut) Fans(Tensor tensor)
            {
                ArgumentNullException.ThrowIfNull(tensor);
                var shape = tensor.shape;
                if (shape.Length < 2)
                    throw new ArgumentException($"Fan in and fan out can not be computed for a tensor with fewer than 2 dimensions (shape [{string.Join(", ", shape)}]).", nameof(tensor));
                long receptive = 1;
                for (var i = 2; i < shape.Length; i++)
                    receptive *= shape[i];
                return (shape[1] * receptive, shape[0] * receptive);
            }
        }
    }
}
