using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Pipelines.Distributed;

/// <summary>
/// Two functions of TorchSharp's C shim that its C# API does not expose: a tensor's data address
/// (MPI reads and writes the gradient buckets in place there) and the assignment of a parameter's
/// gradient (so that gradients are views of the buckets, as in PyTorch DDP's
/// <c>gradient_as_bucket_view</c>). Both take TorchSharp's tensor handles.
/// </summary>
internal static class TensorMemory
{
    const string Shim = "LibTorchSharp";

    [DllImport(Shim, EntryPoint = "THSTensor_data")]
    private static extern nint Data(nint tensor);

    [DllImport(Shim, EntryPoint = "THSTensor_set_grad")]
    private static extern void SetGrad(nint tensor, nint grad);

    /// <summary>The address of <paramref name="tensor"/>'s first element (its storage offset included).</summary>
    public static nint Address(Tensor tensor)
    {
        var address = Data(tensor.Handle);
        GC.KeepAlive(tensor);
        return address;
    }

    /// <summary>Makes <paramref name="grad"/> (same shape, dtype and device) the gradient of <paramref name="parameter"/>.</summary>
    public static void SetGradient(Tensor parameter, Tensor grad)
    {
        SetGrad(parameter.Handle, grad.Handle);
        GC.KeepAlive(parameter);
        GC.KeepAlive(grad);
    }
}
