using System.Runtime.InteropServices;
using Pipelines.Torch.Native;

namespace Pipelines.Torch;

public partial class Tensor
{
    /// <summary>Copies the elements, in row-major order, into a new array (moving to the CPU first).</summary>
    /// <exception cref="InvalidOperationException">When <typeparamref name="T"/> does not match the dtype.</exception>
    public unsafe T[] ToArray<T>() where T : unmanaged
    {
        var expected = ElementTypes.Of<T>();
        var actual = dtype;
        if (expected != actual)
            throw new InvalidOperationException($"ToArray<{typeof(T).Name}> on a {actual} tensor; convert it first with .to({expected}).");
        var result = new T[numel()];
        fixed (T* p = result)
            LibTorch.Check(LibTorch.pt_tensor_copy_to(Handle, p, (long)result.Length * sizeof(T)));
        return result;
    }

    /// <summary>Copies the elements into <paramref name="destination"/>, which must hold exactly numel() of them.</summary>
    public unsafe void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        var expected = ElementTypes.Of<T>();
        if (expected != dtype)
            throw new InvalidOperationException($"CopyTo<{typeof(T).Name}> on a {dtype} tensor.");
        fixed (T* p = destination)
            LibTorch.Check(LibTorch.pt_tensor_copy_to(Handle, p, (long)destination.Length * sizeof(T)));
    }

    /// <summary>The value of a one-element tensor, converted to <typeparamref name="T"/> (a host sync on a device).</summary>
    public T item<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(long) || typeof(T) == typeof(int) || typeof(T) == typeof(short) || typeof(T) == typeof(byte) || typeof(T) == typeof(sbyte))
        {
            LibTorch.Check(LibTorch.pt_tensor_item_long(Handle, out var l));
            if (typeof(T) == typeof(long)) return (T)(object)l;
            if (typeof(T) == typeof(int)) return (T)(object)checked((int)l);
            if (typeof(T) == typeof(short)) return (T)(object)checked((short)l);
            if (typeof(T) == typeof(byte)) return (T)(object)checked((byte)l);
            return (T)(object)checked((sbyte)l);
        }
        LibTorch.Check(LibTorch.pt_tensor_item(Handle, out var d));
        if (typeof(T) == typeof(double)) return (T)(object)d;
        if (typeof(T) == typeof(float)) return (T)(object)(float)d;
        if (typeof(T) == typeof(bool)) return (T)(object)(d != 0);
        if (typeof(T) == typeof(Half)) return (T)(object)(Half)d;
        throw new NotSupportedException($"item<{typeof(T).Name}> is not supported.");
    }

    /// <summary>Creates a CPU tensor holding a copy of <paramref name="data"/> with the given shape.</summary>
    internal static unsafe Tensor FromSpan<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape) where T : unmanaged
    {
        long count = 1;
        var valid = true;
        foreach (var s in shape)
        {
            // Negative sizes and products past long.MaxValue must not wrap around into a count that matches.
            if (s < 0 || (s > 0 && count > long.MaxValue / s))
                valid = false;
            else
                count *= s;
        }
        if (!valid || count != data.Length)
            throw new ArgumentException(
                $"{data.Length} elements cannot fill a tensor of shape [{string.Join(", ", shape.ToArray())}]" +
                (valid ? $" ({count} elements)." : " (not a valid shape)."), nameof(shape));
        fixed (T* p = data)
        fixed (long* s = shape)
            return Call(LibTorch.pt_from_data(p, (long)data.Length * sizeof(T), s, shape.Length, (int)ElementTypes.Of<T>(), out var r), r);
    }

    /// <summary>Creates a CPU tensor from a (possibly multi-dimensional) array, keeping its shape.</summary>
    internal static Tensor FromArray<T>(Array data) where T : unmanaged
    {
        var shape = new long[data.Rank];
        for (var i = 0; i < shape.Length; i++)
            shape[i] = data.GetLength(i);
        ref var first = ref MemoryMarshal.GetArrayDataReference(data);
        var span = MemoryMarshal.CreateReadOnlySpan(ref System.Runtime.CompilerServices.Unsafe.As<byte, T>(ref first), data.Length);
        return FromSpan(span, shape);
    }
}
