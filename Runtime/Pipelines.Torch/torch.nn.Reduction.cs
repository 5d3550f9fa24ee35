namespace Pipelines.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>How a loss combines its per-element values (PyTorch's <c>reduction=</c> strings; values match ATen's).</summary>
        public enum Reduction
        {
            /// <summary>No reduction: one loss per element (or per sample).</summary>
            None = 0,

            /// <summary>The (weighted) mean of the losses.</summary>
            Mean = 1,

            /// <summary>The sum of the losses.</summary>
            Sum = 2,
        }
    }
}
