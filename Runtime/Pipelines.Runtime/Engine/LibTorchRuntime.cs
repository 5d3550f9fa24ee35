using System.Globalization;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Pipelines;

/// <summary>
/// Prepares the native runtime before libtorch loads: the OpenMP wait policy of libtorch's
/// intra-op pool, and a load of TorchSharp's native shim that fails with one message naming the
/// cause and the fix, instead of TorchSharp's generic "doesn't contain a reference to libtorch".
/// The generator calls <see cref="Initialize"/> from a module initializer of every assembly with a
/// [Pipeline] class; a program that uses the runtime without one calls it first thing.
/// </summary>
public static class LibTorchRuntime
{
    /// <summary>The environment variable that OpenMP (libgomp inside libtorch) reads for its wait policy.</summary>
    public const string WaitPolicyVariable = "OMP_WAIT_POLICY";

    /// <summary>
    /// The wait policy set when the user set none. libgomp's default spins idle worker threads for a
    /// while before sleeping; on a machine whose cores are shared (CI, a small VM, a data loader
    /// thread beside the pool) the spinning threads take the cores the work needs (bench/README.md).
    /// </summary>
    public const string DefaultWaitPolicy = "PASSIVE";

    static readonly Lock gate = new();
    static bool initialized;

    /// <summary>
    /// Sets <c>OMP_WAIT_POLICY</c> to <see cref="DefaultWaitPolicy"/> unless the environment already
    /// sets it (libgomp reads it once, when libtorch loads), then loads TorchSharp's native shim.
    /// Calling it again does nothing.
    /// </summary>
    /// <exception cref="LibTorchLoadException">When the native shim or libtorch cannot be loaded; the message says why and what to do.</exception>
    public static void Initialize()
    {
        lock (gate)
        {
            if (initialized)
                return;
            if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable(WaitPolicyVariable) is null)
                SetNativeEnvironment(WaitPolicyVariable, DefaultWaitPolicy);
            LoadNativeShim();
            initialized = true;
        }
    }

    /// <summary>One line on the native runtime: TorchSharp's and libtorch's versions, threads, wait policy, CUDA devices.</summary>
    public static string Describe()
    {
        Initialize();
        var cuda = torch.cuda.is_available() ? torch.cuda.device_count().ToString(CultureInfo.InvariantCulture) + " CUDA device(s)" : "no CUDA";
        return string.Create(CultureInfo.InvariantCulture,
            $"TorchSharp {typeof(torch).Assembly.GetName().Version?.ToString(3)}, libtorch {torch.__version__}, {torch.get_num_threads()} intra-op thread(s), " +
            $"{WaitPolicyVariable}={Environment.GetEnvironmentVariable(WaitPolicyVariable) ?? "(libgomp's default)"}, {cuda}");
    }

    // .NET keeps its own copy of the environment: Environment.SetEnvironmentVariable does not reach
    // getenv() in native code, which is where libgomp reads it.
    static void SetNativeEnvironment(string name, string value)
    {
        if (setenv(name, value, overwrite: 0) != 0)
            return;
        Environment.SetEnvironmentVariable(name, value);
    }

    [DllImport("libc", EntryPoint = "setenv")]
    static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    static void LoadNativeShim()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var shim = FindShim() ?? throw new LibTorchLoadException(
            "TorchSharp's native library libLibTorchSharp.so is not in this program's folder or its runtimes/linux-x64/native/. " +
            "Reference a libtorch package beside TorchSharp: libtorch-cpu-linux-x64 (the Pipelines package brings it) or TorchSharp-cuda-linux.");
        Load(shim);
    }

    /// <summary>Loads the shim at <paramref name="shim"/> for the life of the process, or explains why it cannot.</summary>
    internal static void Load(string shim)
    {
        try
        {
            // Held for the life of the process; TorchSharp's own load then finds it already mapped.
            NativeLibrary.Load(shim);
        }
        catch (DllNotFoundException exception)
        {
            throw new LibTorchLoadException(Explain(shim, exception.Message), exception);
        }
    }

    static string? FindShim()
    {
        var directory = AppContext.BaseDirectory;
        foreach (var candidate in new[] { Path.Combine(directory, "libLibTorchSharp.so"), Path.Combine(directory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so") })
            if (File.Exists(candidate))
                return candidate;
        return null;
    }

    static string Explain(string shim, string loaderMessage)
    {
        if (loaderMessage.Contains("GLIBCXX_3.4.32", StringComparison.Ordinal))
            return $"{shim} cannot load: it asks for GLIBCXX_3.4.32 (GCC 13's libstdc++) for std::ios_base_library_init, a marker it never calls, " +
                "and this system's libstdc++ is older (Debian 12 stops at GLIBCXX_3.4.30). The Pipelines build marks that one version reference weak " +
                "in build and publish outputs: build the program with the Pipelines package (or its build/Pipelines.targets imported), without " +
                "PipelinesPatchLibTorchSharp=false, and run it from that output. Loader message: " + loaderMessage;
        if (loaderMessage.Contains("libtorch", StringComparison.Ordinal) || loaderMessage.Contains("libc10", StringComparison.Ordinal))
            return $"{shim} cannot load libtorch beside it: reference libtorch-cpu-linux-x64 2.10.0 (CPU) or TorchSharp-cuda-linux 0.107.0 (CUDA), " +
                "the libtorch TorchSharp 0.107.0 was built for. Loader message: " + loaderMessage;
        return $"{shim} cannot load. Loader message: " + loaderMessage;
    }
}
