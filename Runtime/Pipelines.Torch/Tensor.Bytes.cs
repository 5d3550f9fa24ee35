using Microsoft.Win32.SafeHandles;
using Pipelines.Torch.Native;

namespace Pipelines.Torch;

public partial class Tensor
{
    // One read or write moves at most this many bytes (spans are int-sized; tensors need not be).
    const int ChunkBytes = 1 << 30;

    /// <summary>The size of the elements in bytes (numel times the element size).</summary>
    internal long nbytes => numel() * ElementTypes.SizeOf(dtype);

    /// <summary>
    /// Writes the elements' raw bytes, row-major in host byte order, to <paramref name="stream"/>
    /// (moving to the CPU and making them contiguous first; no managed copy of the data is made).
    /// </summary>
    internal unsafe void WriteBytes(Stream stream)
    {
        LibTorch.Check(LibTorch.pt_tensor_host_bytes(Handle, out var host, out var data, out var length));
        using var hostHandle = new TensorHandle(host);
        for (long offset = 0; offset < length; offset += ChunkBytes)
        {
            var count = (int)Math.Min(ChunkBytes, length - offset);
            stream.Write(new ReadOnlySpan<byte>((byte*)data + offset, count));
        }
    }

    /// <summary>
    /// Creates a CPU tensor of <paramref name="shape"/> and <paramref name="dtype"/> and fills it with
    /// the raw bytes at <paramref name="offset"/> of <paramref name="file"/>, read straight into its storage.
    /// </summary>
    /// <exception cref="EndOfStreamException">When the file ends before the tensor is filled.</exception>
    internal static unsafe Tensor ReadBytes(SafeFileHandle file, long offset, long[] shape, ScalarType dtype)
    {
        IntPtr native;
        void* data;
        long length;
        fixed (long* s = shape)
            LibTorch.Check(LibTorch.pt_empty_host_bytes(s, shape.Length, (int)dtype, out native, out data, out length));
        var tensor = Wrap(native);
        try
        {
            long done = 0;
            while (done < length)
            {
                var count = (int)Math.Min(ChunkBytes, length - done);
                var read = RandomAccess.Read(file, new Span<byte>((byte*)data + done, count), offset + done);
                if (read == 0)
                    throw new EndOfStreamException($"the file ends {length - done} bytes before the end of the tensor.");
                done += read;
            }
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>Takes ownership of a native tensor outside every dispose scope (optimizer state, which its owner frees).</summary>
    internal static Tensor Adopt(IntPtr native) =>
        native != IntPtr.Zero ? new Tensor(native, joinScope: false) : throw new InvalidOperationException("libtorch returned an undefined tensor.");
}
