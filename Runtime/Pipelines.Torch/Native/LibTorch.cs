using System.Runtime.InteropServices;

namespace Pipelines.Torch.Native;

/// <summary>
/// The C ABI of libpipelines_torch.so, one partial file per native source file. Every entry
/// point returns 0 or -1; <see cref="Check"/> turns -1 into a <see cref="TorchException"/>.
/// </summary>
internal static partial class LibTorch
{
    const string Lib = NativeLibraryResolver.LibraryName;

    static LibTorch()
    {
        NativeLibraryResolver.Register();
        torch.InitializeRuntime();
    }

    [LibraryImport(Lib)]
    private static partial IntPtr pt_last_error();

    /// <summary>Throws the thread's last native error when <paramref name="status"/> says one happened.</summary>
    internal static void Check(int status)
    {
        if (status != 0)
            throw new TorchException(Marshal.PtrToStringUTF8(pt_last_error()) ?? "unknown libtorch error");
    }

    [LibraryImport(Lib)] internal static partial int pt_set_num_threads(int n);
    [LibraryImport(Lib)] internal static partial int pt_get_num_threads(out int n);
    [LibraryImport(Lib)] internal static partial int pt_set_blas_threads(int n, [MarshalAs(UnmanagedType.U1)] out bool applied);
    [LibraryImport(Lib)] internal static partial int pt_get_blas_threads(out int n);
    [LibraryImport(Lib)] internal static unsafe partial int pt_parallel_info(byte* buffer, long capacity, out long needed);
    [LibraryImport(Lib)] internal static unsafe partial int pt_version(byte* buffer, long capacity, out long needed);

    internal unsafe delegate int StringGetter(byte* buffer, long capacity, out long needed);

    /// <summary>Reads a native string through the (buffer, capacity, needed) protocol.</summary>
    internal static unsafe string ReadString(StringGetter getter)
    {
        Check(getter(null, 0, out var needed));
        var buffer = new byte[needed + 1];
        fixed (byte* p = buffer)
            Check(getter(p, buffer.Length, out needed));
        return System.Text.Encoding.UTF8.GetString(buffer, 0, (int)needed);
    }
}
