namespace Pipelines.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>How <see cref="functional.pad"/> fills the border (PyTorch's <c>mode=</c> strings).</summary>
        public enum PaddingModes
        {
            /// <summary>A constant value.</summary>
            Constant = 0,

            /// <summary>The reflection of the input at its edge, not repeating the edge.</summary>
            Reflect = 1,

            /// <summary>Repeats the edge value.</summary>
            Replicate = 2,

            /// <summary>Wraps around to the other side.</summary>
            Circular = 3,
        }
    }
}
