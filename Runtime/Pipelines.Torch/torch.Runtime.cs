using System.Globalization;
using Pipelines.Torch.Native;

namespace Pipelines.Torch;

public static partial class torch
{
    /// <summary>The environment variable that, when set, chooses the number of intra-op threads at start-up.</summary>
    public const string ThreadsVariable = "PIPELINES_NUM_THREADS";

    static int threadsConfigured;

    /// <summary>
    /// Applies the binding's start-up settings once, before the first native call: intra-op
    /// threads = all cores (libtorch picks half), or <see cref="ThreadsVariable"/> /
    /// <c>OMP_NUM_THREADS</c> when set.
    /// </summary>
    internal static void InitializeRuntime()
    {
        if (Interlocked.Exchange(ref threadsConfigured, 1) == 1)
            return;
        var requested = Environment.GetEnvironmentVariable(ThreadsVariable);
        if (int.TryParse(requested, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
            set_num_threads(n);
        else if (Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is null)
            set_num_threads(Environment.ProcessorCount);
        // Nested pools oversubscribe the cores: with libtorch's intra-op threads busy, OpenBLAS
        // gets one thread unless the user chose otherwise (bench/README.md has the measurements).
        if (Environment.GetEnvironmentVariable("OPENBLAS_NUM_THREADS") is null && get_num_threads() > 1)
            LibTorch.Check(LibTorch.pt_set_blas_threads(1, out _));
    }

    /// <summary>OpenBLAS's own thread count inside each matrix product; -1 when libtorch uses another BLAS.</summary>
    public static int get_blas_threads()
    {
        LibTorch.Check(LibTorch.pt_get_blas_threads(out var n));
        return n;
    }

    /// <summary>
    /// One line on the native runtime: libtorch version, the BLAS library libtorch's matrix
    /// products go through (Debian's reference BLAS is ~10x slower than OpenBLAS) and the threads.
    /// </summary>
    public static unsafe string describe_runtime()
    {
        var version = LibTorch.ReadString(LibTorch.pt_version);
        var blas = DescribeBlas();
        return $"libtorch {version}; BLAS: {blas}; intra-op threads: {get_num_threads()} of {Environment.ProcessorCount} cores" +
               (get_blas_threads() > 0 ? $" (BLAS threads: {get_blas_threads()})" : "") + "; CUDA: " +
               (cuda.is_available() ? $"{cuda.device_count()} device(s)" : "not available");
    }

    /// <summary>Names the BLAS library mapped into this process, from /proc/self/maps.</summary>
    static string DescribeBlas()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps))
            return "unknown (no /proc/self/maps)";
        foreach (var line in File.ReadLines(maps))
        {
            var slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
                continue;
            var path = line[slash..];
            var file = Path.GetFileName(path);
            if (file.StartsWith("libopenblas", StringComparison.Ordinal) || file.StartsWith("libblas.so", StringComparison.Ordinal) ||
                file.StartsWith("libmkl", StringComparison.Ordinal))
            {
                if (path.Contains("openblas", StringComparison.Ordinal))
                    return $"OpenBLAS ({path})";
                if (path.Contains("mkl", StringComparison.Ordinal))
                    return $"MKL ({path})";
                return $"reference BLAS ({path}); slow: install libopenblas0-pthread";
            }
        }
        return "none mapped as a separate library (linked into libtorch, as MKL is in PyTorch wheels)";
    }
}
