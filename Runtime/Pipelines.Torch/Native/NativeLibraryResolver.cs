using System.Reflection;
using System.Runtime.InteropServices;

namespace Pipelines.Torch.Native;

/// <summary>
/// Finds libpipelines_torch.so beside the application (or under runtimes/linux-x64/native) and,
/// when it cannot, says every path it tried.
/// </summary>
internal static class NativeLibraryResolver
{
    internal const string LibraryName = "pipelines_torch";
    const string FileName = "libpipelines_torch.so";

    /// <summary>Installs the resolver; LibTorch's static constructor calls it before the first P/Invoke.</summary>
    internal static void Register() => NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);

    static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != LibraryName)
            return IntPtr.Zero;
        var tried = new List<string>();
        foreach (var directory in CandidateDirectories())
        {
            var path = Path.Combine(directory, FileName);
            tried.Add(path);
            if (File.Exists(path))
            {
                if (NativeLibrary.TryLoad(path, out var handle))
                    return handle;
                tried[^1] += " (exists but failed to load: is libtorch installed? apt-get install libtorch-dev)";
            }
        }
        if (NativeLibrary.TryLoad(FileName, assembly, searchPath, out var fromSystem))
            return fromSystem;
        tried.Add(FileName + " on the system library path");
        throw new DllNotFoundException(
            "Could not load the Pipelines libtorch shim. Tried:\n  " + string.Join("\n  ", tried) +
            "\nBuild it with 'dotnet build' (it runs CMake against libtorch).");
    }

    static IEnumerable<string> CandidateDirectories()
    {
        var directory = AppContext.BaseDirectory;
        yield return directory;
        yield return Path.Combine(directory, "runtimes", "linux-x64", "native");
    }
}
