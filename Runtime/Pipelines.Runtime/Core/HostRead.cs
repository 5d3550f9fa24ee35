using static TorchSharp.torch;

namespace Pipelines.Core;

/// <summary>
/// Reads one value to the host as a double, whatever the tensor's dtype. TorchSharp's
/// <c>item&lt;T&gt;()</c> requires T to match the dtype exactly (<c>item&lt;double&gt;()</c> on a Float32
/// loss throws), and its <c>ToDouble()</c> goes through a Scalar that only a finalizer frees.
/// </summary>
internal static class HostRead
{
    internal static double ToDouble(Tensor tensor)
    {
        switch (tensor.dtype)
        {
            case ScalarType.Float32:
                return tensor.item<float>();
            case ScalarType.Float64:
                return tensor.item<double>();
            case ScalarType.Int64:
                return tensor.item<long>();
            case ScalarType.Int32:
                return tensor.item<int>();
            default:
                using (var converted = tensor.to(ScalarType.Float64))
                    return converted.item<double>();
        }
    }

    internal static long ToInt64(Tensor tensor) => tensor.dtype == ScalarType.Int64 ? tensor.item<long>() : (long)ToDouble(tensor);
}
