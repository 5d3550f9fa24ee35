using Pipelines.Torch.Native;

namespace Pipelines.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public static partial class functional
        {
            /// <summary>
            /// Cross entropy of unnormalised logits (N, C[, d1, ...]) against class indexes (N[, d1, ...])
            /// or class probabilities of the input's shape. <paramref name="weight"/> rescales classes,
            /// targets equal to <paramref name="ignore_index"/> count for nothing (index targets only),
            /// <paramref name="label_smoothing"/> mixes the target with the uniform distribution.
            /// </summary>
            public static Tensor cross_entropy(Tensor input, Tensor target, Tensor? weight = null, long ignore_index = -100, Reduction reduction = Reduction.Mean, double label_smoothing = 0)
            {
                ArgumentNullException.ThrowIfNull(input);
                ArgumentNullException.ThrowIfNull(target);
                if (label_smoothing is < 0 or > 1)
                    throw new ArgumentOutOfRangeException(nameof(label_smoothing), label_smoothing, "label_smoothing must be between 0 and 1.");
                var result = Tensor.Call(LibTorch.pt_cross_entropy(input.Handle, target.Handle, Tensor.RawOrNull(weight), (long)reduction, ignore_index, label_smoothing, out var r), r);
                GC.KeepAlive(weight);
                return result;
            }

            /// <summary>Negative log likelihood of log-probabilities (N, C[, d1, ...]) against class indexes (N[, d1, ...]).</summary>
            public static Tensor nll_loss(Tensor input, Tensor target, Tensor? weight = null, long ignore_index = -100, Reduction reduction = Reduction.Mean)
            {
                ArgumentNullException.ThrowIfNull(input);
                ArgumentNullException.ThrowIfNull(target);
                var result = Tensor.Call(LibTorch.pt_nll_loss(input.Handle, target.Handle, Tensor.RawOrNull(weight), (long)reduction, ignore_index, out var r), r);
                GC.KeepAlive(weight);
                return result;
            }

            /// <summary>Squared error; input and target broadcast.</summary>
            public static Tensor mse_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
                Pointwise(PointwiseLoss.Mse, input, target, reduction, 0);

            /// <summary>Absolute error; input and target broadcast.</summary>
            public static Tensor l1_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
                Pointwise(PointwiseLoss.L1, input, target, reduction, 0);

            /// <summary>Squared error below <paramref name="beta"/> (halved and divided by beta), absolute error minus beta/2 above.</summary>
            public static Tensor smooth_l1_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double beta = 1.0)
            {
                if (beta < 0)
                    throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must not be negative.");
                return Pointwise(PointwiseLoss.SmoothL1, input, target, reduction, beta);
            }

            static Tensor Pointwise(PointwiseLoss kind, Tensor input, Tensor target, Reduction reduction, double beta)
            {
                ArgumentNullException.ThrowIfNull(input);
                ArgumentNullException.ThrowIfNull(target);
                return Tensor.Call(LibTorch.pt_pointwise_loss((int)kind, input.Handle, target.Handle, (long)reduction, beta, out var r), r);
            }

            /// <summary>Binary cross entropy of probabilities in [0, 1]; <paramref name="weight"/> broadcasts to the target.</summary>
            public static Tensor binary_cross_entropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean)
            {
                ArgumentNullException.ThrowIfNull(input);
                ArgumentNullException.ThrowIfNull(target);
                var result = Tensor.Call(LibTorch.pt_binary_cross_entropy(input.Handle, target.Handle, Tensor.RawOrNull(weight), (long)reduction, out var r), r);
                GC.KeepAlive(weight);
                return result;
            }

            /// <summary>
            /// Sigmoid plus binary cross entropy in one numerically stable step. <paramref name="weight"/>
            /// rescales elements; <paramref name="pos_weight"/> (one value per class, the last dimension)
            /// rescales the positive term.
            /// </summary>
            public static Tensor binary_cross_entropy_with_logits(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean, Tensor? pos_weight = null)
            {
                ArgumentNullException.ThrowIfNull(input);
                ArgumentNullException.ThrowIfNull(target);
                var result = Tensor.Call(LibTorch.pt_binary_cross_entropy_with_logits(input.Handle, target.Handle, Tensor.RawOrNull(weight), Tensor.RawOrNull(pos_weight), (long)reduction, out var r), r);
                GC.KeepAlive(weight);
                GC.KeepAlive(pos_weight);
                return result;
            }
        }
    }
}
