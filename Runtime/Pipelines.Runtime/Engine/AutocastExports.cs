using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines;

/// <summary>
/// libtorch's autocast switches, called through its C++ exports: TorchSharp 0.107 binds none of
/// them and its shim exports none, but <c>libtorch_cpu.so</c> exports <c>at::autocast</c>'s
/// functions with plain scalar signatures (device and dtype are <c>int8_t</c> enums, <c>bool</c> a
/// byte), so function pointers to the Itanium-mangled names need no native shim. Resolved once per
/// process; a missing symbol is a <see cref="LibTorchLoadException"/> naming it and libtorch's version.
/// </summary>
internal sealed unsafe class AutocastExports
{
    /// <summary>The library that defines <c>at::autocast</c>, found by its soname among the loaded ones (the CUDA flavour has it too).</summary>
    public const string Library = "libtorch_cpu.so";

    /// <summary><c>bool at::autocast::is_autocast_enabled(c10::DeviceType)</c>.</summary>
    public const string IsEnabledSymbol = "_ZN2at8autocast19is_autocast_enabledEN3c1010DeviceTypeE";

    /// <summary><c>void at::autocast::set_autocast_enabled(c10::DeviceType, bool)</c>.</summary>
    public const string SetEnabledSymbol = "_ZN2at8autocast20set_autocast_enabledEN3c1010DeviceTypeEb";

    /// <summary><c>c10::ScalarType at::autocast::get_autocast_dtype(c10::DeviceType)</c>.</summary>
    public const string GetDtypeSymbol = "_ZN2at8autocast18get_autocast_dtypeEN3c1010DeviceTypeE";

    /// <summary><c>void at::autocast::set_autocast_dtype(c10::DeviceType, c10::ScalarType)</c>.</summary>
    public const string SetDtypeSymbol = "_ZN2at8autocast18set_autocast_dtypeEN3c1010DeviceTypeENS1_10ScalarTypeE";

    /// <summary><c>int at::autocast::increment_nesting()</c>: the thread's nesting depth after the increment.</summary>
    public const string IncrementNestingSymbol = "_ZN2at8autocast17increment_nestingEv";

    /// <summary><c>int at::autocast::decrement_nesting()</c>: the thread's nesting depth after the decrement.</summary>
    public const string DecrementNestingSymbol = "_ZN2at8autocast17decrement_nestingEv";

    /// <summary><c>void at::autocast::clear_cache()</c>: drops the thread's cached low-precision copies of parameters.</summary>
    public const string ClearCacheSymbol = "_ZN2at8autocast11clear_cacheEv";

    static readonly Lock gate = new();
    static AutocastExports? resolved;

    readonly delegate* unmanaged<sbyte, byte> isEnabled;
    readonly delegate* unmanaged<sbyte, byte, void> setEnabled;
    readonly delegate* unmanaged<sbyte, sbyte> getDtype;
    readonly delegate* unmanaged<sbyte, sbyte, void> setDtype;
    readonly delegate* unmanaged<int> incrementNesting;
    readonly delegate* unmanaged<int> decrementNesting;
    readonly delegate* unmanaged<void> clearCache;

    AutocastExports(nint library)
    {
        isEnabled = (delegate* unmanaged<sbyte, byte>)Export(library, IsEnabledSymbol);
        setEnabled = (delegate* unmanaged<sbyte, byte, void>)Export(library, SetEnabledSymbol);
        getDtype = (delegate* unmanaged<sbyte, sbyte>)Export(library, GetDtypeSymbol);
        setDtype = (delegate* unmanaged<sbyte, sbyte, void>)Export(library, SetDtypeSymbol);
        incrementNesting = (delegate* unmanaged<int>)Export(library, IncrementNestingSymbol);
        decrementNesting = (delegate* unmanaged<int>)Export(library, DecrementNestingSymbol);
        clearCache = (delegate* unmanaged<void>)Export(library, ClearCacheSymbol);
    }

    /// <summary>The process's exports, resolved on first use.</summary>
    /// <exception cref="LibTorchLoadException">When libtorch is not loaded or lacks one of the symbols.</exception>
    /// <exception cref="PlatformNotSupportedException">Off Linux, where libtorch's names are not Itanium-mangled or the library is named otherwise.</exception>
    public static AutocastExports Get()
    {
        if (Volatile.Read(ref resolved) is { } exports)
            return exports;
        lock (gate)
            return resolved ??= new AutocastExports(LoadedLibrary());
    }

    static nint LoadedLibrary()
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("Autocast binds libtorch's Itanium-mangled C++ exports in " + Library + ", which Pipelines resolves on Linux only.");
        // Loading the shim loads libtorch_cpu.so (a dependency of it); by its soname the loader then
        // hands back that same copy rather than another one from the search path.
        LibTorchRuntime.Initialize();
        return NativeLibrary.TryLoad(Library, out var library)
            ? library
            : throw new LibTorchLoadException($"{Library} is not loaded in this process, so libtorch's autocast functions cannot be found (libtorch {torch.__version__}).");
    }

    /// <summary>The address of <paramref name="symbol"/> in <paramref name="library"/>, or the error that names it and libtorch's version.</summary>
    internal static nint Export(nint library, string symbol) =>
        NativeLibrary.TryGetExport(library, symbol, out var address)
            ? address
            : throw new LibTorchLoadException(
                $"libtorch {torch.__version__} does not export {symbol} from {Library}, which autocast (mixed precision) calls. " +
                "Pipelines binds the autocast functions of libtorch 2.10 (TorchSharp 0.107.0): use that libtorch, or a Pipelines built for yours.");

    public bool IsEnabled(DeviceType device) => isEnabled((sbyte)device) != 0;

    public void SetEnabled(DeviceType device, bool enabled) => setEnabled((sbyte)device, enabled ? (byte)1 : (byte)0);

    public ScalarType GetDtype(DeviceType device) => (ScalarType)getDtype((sbyte)device);

    public void SetDtype(DeviceType device, ScalarType dtype) => setDtype((sbyte)device, (sbyte)dtype);

    public int IncrementNesting() => incrementNesting();

    public int DecrementNesting() => decrementNesting();

    public void ClearCache() => clearCache();
}
