using Pipelines.Torch.Native;

namespace Pipelines.Torch;

public static partial class torch
{
    /// <summary>Neural-network building blocks (<c>torch.nn</c>).</summary>
    public static partial class nn
    {
        /// <summary>Utilities over parameters (<c>torch.nn.utils</c>).</summary>
        public static partial class utils
        {
            /// <summary>
            /// Scales the gradients of <paramref name="parameters"/> in place so that their joint
            /// <paramref name="norm_type"/>-norm is at most <paramref name="max_norm"/>, in one native call.
            /// Returns the total norm before clipping as a scalar tensor on the first gradient's device
            /// (as PyTorch does; read it with <c>item&lt;double&gt;()</c> only when needed, since that syncs a GPU).
            /// Parameters without a gradient are skipped; with none at all the result is 0.
            /// </summary>
            /// <exception cref="TorchException">With <paramref name="error_if_nonfinite"/>, when the norm is NaN or infinite (nothing is scaled).</exception>
            public static unsafe Tensor clip_grad_norm_(IEnumerable<Tensor> parameters, double max_norm, double norm_type = 2, bool error_if_nonfinite = false)
            {
                var list = AsList(parameters);
                var handles = Handles(list, stackalloc IntPtr[Math.Min(list.Count, 256)], out var rented);
                try
                {
                    fixed (IntPtr* p = handles)
                    {
                        var status = LibTorch.pt_clip_grad_norm_(p, list.Count, max_norm, norm_type, error_if_nonfinite, out var total);
                        GC.KeepAlive(list);
                        return Tensor.Call(status, total);
                    }
                }
                finally
                {
                    if (rented is not null)
                        System.Buffers.ArrayPool<IntPtr>.Shared.Return(rented);
                }
            }

            /// <summary>Clamps the gradients of <paramref name="parameters"/> in place to [-clip_value, clip_value], in one native call.</summary>
            public static unsafe void clip_grad_value_(IEnumerable<Tensor> parameters, double clip_value)
            {
                var list = AsList(parameters);
                var handles = Handles(list, stackalloc IntPtr[Math.Min(list.Count, 256)], out var rented);
                try
                {
                    fixed (IntPtr* p = handles)
                        LibTorch.Check(LibTorch.pt_clip_grad_value_(p, list.Count, clip_value));
                    GC.KeepAlive(list);
                }
                finally
                {
                    if (rented is not null)
                        System.Buffers.ArrayPool<IntPtr>.Shared.Return(rented);
                }
            }

            // A list passes through without a copy (a training loop that keeps its parameter list allocates nothing).
            static IReadOnlyList<Tensor> AsList(IEnumerable<Tensor> parameters)
            {
                ArgumentNullException.ThrowIfNull(parameters);
                return parameters as IReadOnlyList<Tensor> ?? parameters.ToList();
            }

            static Span<IntPtr> Handles(IReadOnlyList<Tensor> list, Span<IntPtr> stack, out IntPtr[]? rented)
            {
                rented = null;
                var handles = list.Count <= stack.Length ? stack[..list.Count] : (rented = System.Buffers.ArrayPool<IntPtr>.Shared.Rent(list.Count)).AsSpan(0, list.Count);
                for (var i = 0; i < list.Count; i++)
                    handles[i] = (list[i] ?? throw new ArgumentNullException(nameof(list), "A parameter is null.")).Handle.DangerousGetHandle();
                return handles;
            }
        }
    }
}
