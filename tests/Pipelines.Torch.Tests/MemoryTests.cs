using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace Pipelines.Torch.Tests;

// Measures process-wide handles and resident memory, so it runs with nothing beside it.
[Collection(GlobalStateCollection.Name)]
public class MemoryTests(ITestOutputHelper output)
{
    const int WarmUp = 1_000;
    const int Iterations = 20_000;

    // Bounds on resident-memory growth over the measured iterations (after a warm-up, so the
    // allocator's and the JIT's first-use growth does not count). Leaking one 32x16 float32
    // tensor per iteration costs >= 2 KiB of data plus libtorch's TensorImpl and storage
    // bookkeeping: >= 40 MB over 20,000 iterations, all of it outside the GC heap.
    //  - Native growth (VmRSS growth minus the GC heap's committed growth) must stay under half
    //    of that: such a leak fails it, while the ~6 MB a clean run shows here (glibc arenas
    //    settling, tiered-JIT code) passes with room to spare.
    //  - Total VmRSS growth also counts the GC heap, which legitimately grows its gen0 budget
    //    by ~8 MB under this allocation rate; 40 MB catches a runaway managed heap without
    //    depending on that tuning. (Managed leaks of tensors show up first in the Live count.)
    const long NativeGrowthBoundBytes = 20L * 1024 * 1024;
    const long TotalGrowthBoundBytes = 40L * 1024 * 1024;

    [Fact]
    public void Twenty_thousand_training_steps_in_dispose_scopes_leak_neither_handles_nor_memory()
    {
        Expect.SettleFinalizers();
        // Owns the model and every temporary made while building it, so none of them is left to
        // a finalizer that could run mid-measurement and move the Live count.
        using var model = NewDisposeScope();
        manual_seed(11);
        const double lr = 0.01;
        var x = randn(32, 16);
        var target = randn(32, 16);
        var w = (randn(16, 16) * 0.1).requires_grad_();
        var b = zeros([16], requires_grad: true);

        void Step()
        {
            using var scope = NewDisposeScope();
            var y = x.matmul(w).add(b).relu();
            var diff = y - target;
            var loss = (diff * diff).mean();
            loss.backward();
            using (no_grad())
            {
                w.add_(w.grad!, alpha: -lr);
                b.add_(b.grad!, alpha: -lr);
            }
            w.grad!.zero_();
            b.grad!.zero_();
        }

        double Loss()
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var diff = x.matmul(w).add(b).relu() - target;
            return (diff * diff).mean().item<double>();
        }

        var initialLoss = Loss();
        for (var i = 0; i < WarmUp; i++)
            Step();
        Expect.SettleFinalizers();
        var liveBefore = TensorStatistics.Live;
        var rssBefore = ResidentBytes();
        var gcBefore = GC.GetGCMemoryInfo().TotalCommittedBytes;
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < Iterations; i++)
            Step();

        clock.Stop();
        Expect.SettleFinalizers();
        var liveAfter = TensorStatistics.Live;
        var rssAfter = ResidentBytes();
        var gcAfter = GC.GetGCMemoryInfo().TotalCommittedBytes;
        var finalLoss = Loss();

        var growth = rssAfter - rssBefore;
        var nativeGrowth = growth - (gcAfter - gcBefore);
        var report = $"{Iterations} steps in {clock.Elapsed.TotalSeconds:F1} s; RSS {Mb(rssBefore)} -> {Mb(rssAfter)} MB; " +
                     $"GC committed {Mb(gcBefore)} -> {Mb(gcAfter)} MB; native growth {Mb(nativeGrowth)} MB; loss {initialLoss:F4} -> {finalLoss:F4}.";
        output.WriteLine(report);
        Assert.Equal(liveBefore, liveAfter);
        Assert.True(nativeGrowth < NativeGrowthBoundBytes, $"Native memory grew past {Mb(NativeGrowthBoundBytes)} MB: {report}");
        Assert.True(growth < TotalGrowthBoundBytes, $"Resident memory grew past {Mb(TotalGrowthBoundBytes)} MB: {report}");
        Assert.True(finalLoss < initialLoss, $"The steps should train: loss {initialLoss} -> {finalLoss}.");
    }

    static string Mb(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);

    /// <summary>VmRSS of this process, from /proc/self/status (reported in kB).</summary>
    static long ResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith("VmRSS:", StringComparison.Ordinal))
                continue;
            var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
            return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
        }
        throw new InvalidOperationException("/proc/self/status has no VmRSS line.");
    }
}
