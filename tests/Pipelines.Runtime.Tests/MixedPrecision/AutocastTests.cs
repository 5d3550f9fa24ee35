using System.Runtime.InteropServices;
using Pipelines.Runtime.Tests.Checkpoints;
using TorchSharp.Modules;

namespace Pipelines.Runtime.Tests.MixedPrecision;

/// <summary>
/// <see cref="Autocast"/> on the CPU: what runs in bfloat16 or float16 inside a region and what stays
/// float32, how regions nest and end (on exceptions too), that the state is per thread, and that the
/// outermost region's end drops libtorch's cached casts of parameters. In the random-state collection
/// because building a Linear draws from libtorch's global generator.
/// </summary>
[Collection(GlobalRandomState.Name)]
public sealed class AutocastTests
{
    static (Linear Linear, Tensor Input, Tensor Target) Problem()
    {
        var linear = nn.Linear(8, 4);
        return (linear, randn(16, 8), randint(0, 4, 16));
    }

    // libtorch caches the casts of leaf parameters that reach an autocast operation as they are.
    // TorchSharp's Linear passes weight.t() (a view) to addmm, so its weight is cast anew at every
    // call and never cached; a convolution passes its weight itself, so the cache shows on it.
    static (Conv2d Convolution, Tensor Input) CachedProblem() => (nn.Conv2d(3, 4, 3), randn(2, 3, 8, 8));

    [Fact]
    public void TorchSharps_device_and_dtype_values_are_libtorchs()
    {
        // c10::DeviceType and c10::ScalarType, as the exports take them (int8_t enums).
        Assert.Equal(0, (sbyte)DeviceType.CPU);
        Assert.Equal(1, (sbyte)DeviceType.CUDA);
        Assert.Equal(5, (sbyte)ScalarType.Float16);
        Assert.Equal(6, (sbyte)ScalarType.Float32);
        Assert.Equal(15, (sbyte)ScalarType.BFloat16);
    }

    [Fact]
    public void Under_bf16_a_linear_computes_in_bf16_while_the_loss_parameters_and_gradients_stay_fp32()
    {
        using var scope = NewDisposeScope();
        var (linear, input, target) = Problem();
        Tensor loss;
        using (Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16))
        {
            Assert.True(Autocast.IsEnabled(DeviceType.CPU));
            Assert.Equal(ScalarType.BFloat16, Autocast.Dtype(DeviceType.CPU));
            var output = linear.call(input);
            Assert.Equal(ScalarType.BFloat16, output.dtype);
            loss = nn.functional.cross_entropy(output, target);
            Assert.Equal(ScalarType.Float32, loss.dtype);
        }
        loss.backward();

        Assert.False(Autocast.IsEnabled(DeviceType.CPU));
        foreach (var parameter in linear.parameters())
        {
            Assert.Equal(ScalarType.Float32, parameter.dtype);
            Assert.Equal(ScalarType.Float32, parameter.grad!.dtype);
        }
        Assert.Equal(ScalarType.Float32, linear.call(input).dtype);
    }

    [Fact]
    public void Under_fp16_on_the_cpu_a_linear_computes_in_fp16()
    {
        using var scope = NewDisposeScope();
        var (linear, input, _) = Problem();
        using var region = Autocast.Enter(DeviceType.CPU, ScalarType.Float16);
        Assert.Equal(ScalarType.Float16, linear.call(input).dtype);
    }

    [Fact]
    public void An_inner_region_ends_back_in_the_outer_ones_state()
    {
        using var scope = NewDisposeScope();
        var (linear, input, _) = Problem();
        var defaultDtype = Autocast.Dtype(DeviceType.CPU);
        using (Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16))
        {
            using (Autocast.Enter(DeviceType.CPU, ScalarType.Float16))
            {
                Assert.Equal(ScalarType.Float16, Autocast.Dtype(DeviceType.CPU));
                Assert.Equal(ScalarType.Float16, linear.call(input).dtype);
            }
            Assert.True(Autocast.IsEnabled(DeviceType.CPU));
            Assert.Equal(ScalarType.BFloat16, Autocast.Dtype(DeviceType.CPU));
            Assert.Equal(ScalarType.BFloat16, linear.call(input).dtype);
        }
        Assert.False(Autocast.IsEnabled(DeviceType.CPU));
        Assert.Equal(defaultDtype, Autocast.Dtype(DeviceType.CPU));
    }

    [Fact]
    public void A_region_ended_by_an_exception_restores_the_state_and_the_nesting()
    {
        using var scope = NewDisposeScope();
        var (linear, input, _) = Problem();
        using (Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16))
        {
            Assert.Throws<ExternalException>(() =>
            {
                using var failing = Autocast.Enter(DeviceType.CPU, ScalarType.Float16);
                linear.call(randn(16, 3));
            });
            Assert.True(Autocast.IsEnabled(DeviceType.CPU));
            Assert.Equal(ScalarType.BFloat16, linear.call(input).dtype);
        }
        Assert.Throws<InvalidOperationException>(FailInsideARegion);
        Assert.False(Autocast.IsEnabled(DeviceType.CPU));
        Assert.Equal(ScalarType.Float32, linear.call(input).dtype);
        // Had a failed region left the nesting above zero, this region's end would keep the stale cast.
        var (convolution, image) = CachedProblem();
        Assert.True(SeesAnUpdateAfterTheRegionEnds(convolution, image));
    }

    [Fact]
    public void Another_thread_computes_in_fp32_while_this_one_is_in_a_region()
    {
        using var scope = NewDisposeScope();
        var (linear, input, _) = Problem();
        using var region = Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16);
        bool otherEnabled = true;
        var otherDtype = ScalarType.BFloat16;
        var other = new Thread(() =>
        {
            otherEnabled = Autocast.IsEnabled(DeviceType.CPU);
            using var output = linear.call(input);
            otherDtype = output.dtype;
        });
        other.Start();
        other.Join();
        Assert.False(otherEnabled);
        Assert.Equal(ScalarType.Float32, otherDtype);
        Assert.Equal(ScalarType.BFloat16, linear.call(input).dtype);
    }

    [Fact]
    public void Casts_of_parameters_are_cached_until_the_outermost_region_ends()
    {
        using var scope = NewDisposeScope();
        var (convolution, input) = CachedProblem();
        using (Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16))
        {
            using (Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16))
                Assert.False(SeesAnUpdateInsideTheRegion(convolution, input));
            // The inner region's end kept the cache: a weight updated in place is not seen yet.
            Assert.False(SeesAnUpdateInsideTheRegion(convolution, input));
        }
        Assert.True(SeesAnUpdateAfterTheRegionEnds(convolution, input));
    }

    [Fact]
    public void A_region_in_another_dtype_neither_uses_nor_leaves_casts_in_the_outer_dtype()
    {
        using var scope = NewDisposeScope();
        var (convolution, input) = CachedProblem();
        using (Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16))
        {
            using (var outer = convolution.call(input))
                Assert.Equal(ScalarType.BFloat16, outer.dtype);
            using (Autocast.Enter(DeviceType.CPU, ScalarType.Float16))
            using (var inner = convolution.call(input))
                Assert.Equal(ScalarType.Float16, inner.dtype);
            using var after = convolution.call(input);
            Assert.Equal(ScalarType.BFloat16, after.dtype);
        }
    }

    [Fact]
    public void Ending_a_region_twice_or_a_default_region_changes_nothing()
    {
        using var scope = NewDisposeScope();
        var (convolution, input) = CachedProblem();
        default(AutocastRegion).Dispose();
        using (Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16))
        {
            var inner = Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16);
            inner.Dispose();
            inner.Dispose();
            Assert.Equal(ScalarType.BFloat16, convolution.call(input).dtype);
            // A second decrement would have ended the outer region's nesting and dropped the cache.
            Assert.False(SeesAnUpdateInsideTheRegion(convolution, input));
        }
        Assert.False(Autocast.IsEnabled(DeviceType.CPU));
    }

    [Fact]
    public void Entering_and_ending_regions_allocates_nothing()
    {
        // The first region resolves the exports; the loop then runs as a training loop's steps would.
        using (Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16))
        {
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var step = 0; step < 100; step++)
        {
            using var outer = Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16);
            using var inner = Autocast.Enter(DeviceType.CPU, ScalarType.Float16);
        }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Other_devices_and_dtypes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => { using var region = Autocast.Enter(DeviceType.MPS, ScalarType.BFloat16); });
        Assert.Contains("Float32", Assert.Throws<ArgumentException>(() => { using var region = Autocast.Enter(DeviceType.CPU, ScalarType.Float32); }).Message);
        Assert.False(Autocast.IsEnabled(DeviceType.CPU));
    }

    [SkippableFact]
    public void A_cuda_region_without_cuda_is_refused()
    {
        Skip.If(cuda.is_available(), "This machine has CUDA: the region is legal here.");
        var error = Assert.Throws<InvalidOperationException>(() => { using var region = Autocast.Enter(DeviceType.CUDA, ScalarType.BFloat16); });
        Assert.Contains("CUDA", error.Message);
    }

    [Fact]
    public void A_missing_export_names_the_symbol_and_libtorchs_version()
    {
        Autocast.IsEnabled(DeviceType.CPU);
        var library = NativeLibrary.Load(AutocastExports.Library);
        const string Symbol = "_ZN2at8autocast24no_such_autocast_functionEv";

        var error = Assert.Throws<LibTorchLoadException>(() => AutocastExports.Export(library, Symbol));

        Assert.Contains(Symbol, error.Message);
        Assert.Contains("libtorch " + __version__, error.Message);
    }

    static void FailInsideARegion()
    {
        using var failing = Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16);
        throw new InvalidOperationException("the step failed");
    }

    static bool Same(Tensor a, Tensor b) => a.allclose(b, rtol: 0, atol: 0);

    /// <summary>
    /// Inside a region: computes, updates the weight in place (as an optimizer step does), computes
    /// again; true when the second result reflects the update, false when a cached cast served it.
    /// </summary>
    static bool SeesAnUpdateInsideTheRegion(Conv2d convolution, Tensor input)
    {
        using var before = convolution.call(input);
        AddToWeight(convolution);
        using var after = convolution.call(input);
        return !Same(before, after);
    }

    /// <summary>Computes in one region, updates the weight, computes in a fresh region: true when the update is seen.</summary>
    static bool SeesAnUpdateAfterTheRegionEnds(Conv2d convolution, Tensor input)
    {
        Tensor before;
        using (Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16))
            before = convolution.call(input);
        AddToWeight(convolution);
        Tensor after;
        using (Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16))
            after = convolution.call(input);
        using (before)
        using (after)
            return !Same(before, after);
    }

    static void AddToWeight(Conv2d convolution)
    {
        using var _ = no_grad();
        using var one = ones_like(convolution.weight!);
        convolution.weight!.add_(one);
    }
}
