using System.Runtime.InteropServices;
using Pipelines.Build;
using Pipelines.Runtime.Tests.Build;

namespace Pipelines.Runtime.Tests.Engine;

/// <summary>What <see cref="LibTorchRuntime.Initialize"/> does before libtorch loads, and how a failed load reads.</summary>
public sealed class LibTorchRuntimeTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("torch-runtime-tests-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [DllImport("libc", EntryPoint = "getenv")]
    static extern IntPtr NativeGetenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [Fact]
    public void The_wait_policy_reaches_native_code_before_libtorch_loads()
    {
        // This assembly has [Pipeline] classes, so the generated module initializer has run.
        var expected = Environment.GetEnvironmentVariable(LibTorchRuntime.WaitPolicyVariable);
        Assert.NotNull(expected);
        var native = Marshal.PtrToStringUTF8(NativeGetenv(LibTorchRuntime.WaitPolicyVariable));
        Assert.Equal(expected, native);
        Assert.Contains($"{LibTorchRuntime.WaitPolicyVariable}={expected}", LibTorchRuntime.Describe());
    }

    [SkippableFact]
    public void An_unpatched_shim_on_an_old_libstdcxx_fails_with_the_cause_and_the_fix()
    {
        Skip.If(ElfVersionPatcher.SystemLibStdCxxProvides("GLIBCXX_3.4.32"), "this system's libstdc++ has GLIBCXX_3.4.32: the unpatched shim loads here.");
        var unpatched = Path.Combine(directory, "libLibTorchSharp.so");
        File.Copy(ElfVersionPatcherTests.CachedLibrary(), unpatched);

        var error = Assert.Throws<LibTorchLoadException>(() => LibTorchRuntime.Load(unpatched));

        Assert.Contains(unpatched, error.Message);
        Assert.Contains("GLIBCXX_3.4.32", error.Message);
        Assert.Contains("PipelinesPatchLibTorchSharp", error.Message);
    }

    [Fact]
    public void A_missing_library_is_named()
    {
        var missing = Path.Combine(directory, "libLibTorchSharp.so");
        var error = Assert.Throws<LibTorchLoadException>(() => LibTorchRuntime.Load(missing));
        Assert.Contains(missing, error.Message);
    }
}
