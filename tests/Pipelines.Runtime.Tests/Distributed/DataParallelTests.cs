using System.Globalization;
using System.Text.RegularExpressions;
using Pipelines.Runtime.Tests.Checkpoints;

namespace Pipelines.Runtime.Tests.Distributed;

/// <summary>
/// FitOptions.Strategy = Ddp against the single process it must reproduce: 2 ranks x batch 64
/// (each on its shard of the same shuffled pass, ranks initialized apart so that rank 0's
/// broadcast matters) against 1 process x batch 128, after 16 SGD steps (2 epochs of 1024
/// examples). The ranks' halves of each 128-batch average to the 128-batch's mean gradient; only
/// the order of float32 sums differs (libtorch's reduction of 128 rows against two of 64 summed
/// by MPI and halved), so the parameters agree to 1e-6 (observed: at most 4e-8).
/// </summary>
public sealed class DataParallelTests
{
    const double Tolerance = 1e-6;
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    // A failing job ends in about 2 s here; the bound leaves room for a loaded machine, far below a hang.
    static readonly TimeSpan FaultBound = TimeSpan.FromSeconds(60);

    [SkippableTheory]
    [InlineData(1, "none")]
    [InlineData(2, "none")]
    [InlineData(1, "0.05")]
    [InlineData(2, "0.05")]
    public void Two_ranks_of_64_reach_the_parameters_of_one_process_of_128(int accumulate, string clipNorm)
    {
        MpiJob.RequireMpich();
        using var directory = new TempDirectory();
        var single = Train(directory, "single.txt", processes: 0, batch: 128, "single", accumulate, clipNorm);
        var parallel = Train(directory, "ddp.txt", processes: 2, batch: 64, "ddp", accumulate, clipNorm);
        Assert.Equal(single.Length, parallel.Length);
        Assert.InRange(MaxDifference(single, parallel), 0, Tolerance);
    }

    [SkippableFact]
    public void Without_the_strategy_two_ranks_train_apart()
    {
        MpiJob.RequireMpich();
        using var directory = new TempDirectory();
        var single = Train(directory, "single.txt", processes: 0, batch: 128, "single", 1, "none");
        var apart = Train(directory, "apart.txt", processes: 2, batch: 64, "single", 1, "none");
        Assert.True(MaxDifference(single, apart) > 1e-3, "rank 0 alone on its shard, from its own initialization, should not reach the single process's parameters");
    }

    [SkippableFact]
    public void Clipping_is_active_in_the_comparison()
    {
        MpiJob.RequireMpich();
        using var directory = new TempDirectory();
        var free = Train(directory, "free.txt", processes: 0, batch: 128, "single", 1, "none");
        var clipped = Train(directory, "clipped.txt", processes: 0, batch: 128, "single", 1, "0.05");
        Assert.True(MaxDifference(free, clipped) > 1e-3, "a clipping norm of 0.05 should change the trajectory");
    }

    /// <summary>
    /// Manual optimization (tests/Pipelines.Distributed.Host/ManualRegressionPipeline.cs: zero_grad,
    /// backward, state.ReduceGradients(), step): 2 ranks x 64 reach the single process's 128 as the
    /// engine's own reduction does. With the call, the run is bitwise the automatic one on 2 ranks
    /// (same broadcast, buckets and reduction).
    /// </summary>
    [SkippableFact]
    public void Manual_optimization_with_ReduceGradients_on_two_ranks_of_64_reaches_one_process_of_128()
    {
        MpiJob.RequireMpich();
        using var directory = new TempDirectory();
        var single = TrainManual(directory, "single.txt", processes: 0, batch: 128, "single", reduce: true);
        var parallel = TrainManual(directory, "ddp.txt", processes: 2, batch: 64, "ddp", reduce: true);
        Assert.Equal(single.Length, parallel.Length);
        Assert.InRange(MaxDifference(single, parallel), 0, Tolerance);
        Assert.Equal(Train(directory, "automatic.txt", processes: 2, batch: 64, "ddp", 1, "none"), parallel);
    }

    /// <summary>
    /// A manual step under Ddp that never calls ReduceGradients would let the ranks drift apart
    /// silently: an epoch of such steps (8 iterations here) ends the job with the line naming the fix.
    /// </summary>
    [SkippableFact]
    public void Manual_optimization_without_ReduceGradients_ends_the_job_after_an_epoch_naming_the_call()
    {
        MpiJob.RequireMpich();
        var (exitCode, output) = MpiJob.Run(2, FaultBound, "train", "manual=true", "batch=64", "strategy=ddp", "reduce=false");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("Fit failed: InvalidOperationException: Strategy Ddp: 8 manual-optimization steps (an epoch) passed without state.ReduceGradients()", output, StringComparison.Ordinal);
        Assert.DoesNotContain("iterations=", output, StringComparison.Ordinal);
    }

    /// <summary>
    /// Manual optimization under 16-mixed reduces the scaled gradients before the scaler's inf/NaN check
    /// (Scale(loss).backward(), ReduceGradients, Step, Update): an infinite loss on rank 1 alone at
    /// iteration 3 reaches rank 0 through the average, so rank 0 skips that step and halves its scale
    /// as when every rank's loss is infinite (bitwise), and ends away from the run without the inf.
    /// </summary>
    [SkippableFact]
    public void Manual_optimization_under_16_mixed_skips_on_every_rank_when_one_rank_overflows()
    {
        MpiJob.RequireMpich();
        using var directory = new TempDirectory();
        var oneRank = TrainManual(directory, "one.txt", processes: 2, batch: 64, "ddp", reduce: true, "precision=16-mixed", "inf-at=3", "inf-rank=1");
        var everyRank = TrainManual(directory, "every.txt", processes: 2, batch: 64, "ddp", reduce: true, "precision=16-mixed", "inf-at=3", "inf-rank=all");
        var finite = TrainManual(directory, "finite.txt", processes: 2, batch: 64, "ddp", reduce: true, "precision=16-mixed");
        Assert.Equal(everyRank, oneRank);
        Assert.True(MaxDifference(finite, oneRank) > 1e-3, "the skipped step at iteration 3 should change rank 0's trajectory");
    }

    static float[] TrainManual(TempDirectory directory, string name, int processes, int batch, string strategy, bool reduce, params string[] settings) =>
        TrainedParameters(directory, name, processes, ["manual=true", "batch=" + batch.ToString(CultureInfo.InvariantCulture),
            "strategy=" + strategy, "reduce=" + (reduce ? "true" : "false"), .. settings]);

    /// <summary>
    /// Metrics reduce at Compute: 1000 validation examples in batches of 50, 500 per rank. Accuracy and
    /// macro F1 count examples, so they are equal exactly; the mean loss averages float32 batch losses
    /// (10 batches on each rank against 20 in one process), equal to 1e-6. Without the reduction
    /// (the ranks not joined), rank 0's accuracy is that of its half alone.
    /// </summary>
    [SkippableFact]
    public void Validation_metrics_on_two_ranks_equal_one_process()
    {
        MpiJob.RequireMpich();
        using var directory = new TempDirectory();
        var single = Validate(directory, "single.txt", processes: 0, "single");
        var parallel = Validate(directory, "ddp.txt", processes: 2, "ddp");
        Assert.Equal(single[0], parallel[0]);
        Assert.Equal(single[1], parallel[1], 1e-6);
        Assert.Equal(single[2], parallel[2]);
        var unreduced = Validate(directory, "apart.txt", processes: 2, "single");
        Assert.NotEqual(single[0], unreduced[0]);
    }

    static double[] Validate(TempDirectory directory, string name, int processes, string strategy)
    {
        var path = Path.Combine(directory.Path, name);
        var (exitCode, output) = MpiJob.Run(processes, Bound, "validate", path, strategy);
        Assert.True(exitCode == 0, $"the job failed ({exitCode}):\n{output}");
        return File.ReadAllLines(path).Select(line => double.Parse(line, CultureInfo.InvariantCulture)).ToArray();
    }

    [SkippableFact]
    public void A_terminate_request_on_one_rank_stops_every_rank_at_the_same_iteration()
    {
        MpiJob.RequireMpich();
        var (exitCode, output) = MpiJob.Run(2, Bound, "train", "fail=terminate", "fail-rank=1", "fail-at=3");
        Assert.True(exitCode == 0, $"the job failed ({exitCode}):\n{output}");
        Assert.Contains("rank 0 of 2: iterations=3 terminated=True", output, StringComparison.Ordinal);
        Assert.Contains("rank 1 of 2: iterations=3 terminated=True", output, StringComparison.Ordinal);
    }

    /// <summary>
    /// A cancellation seen by one rank while it validates: the pass completes on every rank (its
    /// metrics' Compute is a collective) and both stop together at the next epoch start, interrupted.
    /// </summary>
    [SkippableFact]
    public void A_cancellation_during_validation_on_one_rank_interrupts_every_rank_after_the_pass()
    {
        MpiJob.RequireMpich();
        var (exitCode, output) = MpiJob.Run(2, Bound, "cancel-validation");
        Assert.True(exitCode == 0, $"the job failed ({exitCode}):\n{output}");
        Assert.Contains("rank 0 of 2: iterations=8 interrupted=True validations=1", output, StringComparison.Ordinal);
        Assert.Contains("rank 1 of 2: iterations=8 interrupted=True validations=1", output, StringComparison.Ordinal);
    }

    /// <summary>
    /// Ctrl-C to the launcher reaches every rank (each under its supervisor, which must not end
    /// first): both ranks stop at the same iteration, interrupted, and the job ends normally. A rank
    /// may stop on the other's signal before its own is handled (signals=0 then), and that late
    /// signal must not end it.
    /// </summary>
    [SkippableFact]
    public void Ctrl_c_to_the_launcher_interrupts_every_rank_at_the_same_iteration()
    {
        MpiJob.RequireMpich();
        var (exitCode, output) = MpiJob.RunAndInterrupt(2, Bound, "ready", "ctrl-c");
        Assert.True(exitCode == 0, $"the job failed ({exitCode}):\n{output}");
        var lines = Regex.Matches(output, @"rank (\d) of 2: interrupted=True signals=[01] iterations=(\d+)");
        Assert.Equal(["0", "1"], lines.Select(m => m.Groups[1].Value).Order());
        Assert.Equal(lines[0].Groups[2].Value, lines[1].Groups[2].Value);
        Assert.DoesNotContain("was killed", output, StringComparison.Ordinal);
    }

    /// <summary>
    /// Ddp adds no allocation per iteration: the same training in the same process, on the same
    /// shard, allocates no more per 1,000 iterations with the strategy (stop agreement, bucket
    /// all-reduce and scaling) than without it, within 1 KB (a 24-byte object per iteration would add
    /// 24,000; observed: 192 bytes more per window, the once-per-epoch check of the bucket views).
    /// </summary>
    [SkippableFact]
    public void Ddp_allocates_nothing_per_iteration_beyond_the_single_process_loop()
    {
        MpiJob.RequireMpich();
        var (exitCode, output) = MpiJob.Run(2, Bound, "allocation");
        Assert.True(exitCode == 0, $"the job failed ({exitCode}):\n{output}");
        var ranks = Regex.Matches(output, @"rank \d of 2: single=([\d,]+) ddp=([\d,]+)");
        Assert.Equal(2, ranks.Count);
        foreach (Match rank in ranks)
        {
            long[] Windows(int group) => [.. rank.Groups[group].Value.Split(',').Select(w => long.Parse(w, CultureInfo.InvariantCulture))];
            var single = Windows(1);
            var ddp = Windows(2);
            Assert.Equal(2, ddp.Length);
            Assert.True(ddp.Min() <= single.Min() + 1024, $"bytes per 1000 iterations, {rank.Value}");
        }
    }

    [SkippableFact]
    public void A_checkpoint_written_by_two_ranks_resumes_on_two_ranks_bitwise()
    {
        MpiJob.RequireMpich();
        using var directory = new TempDirectory();
        var checkpoints = Path.Combine(directory.Path, "checkpoints");
        var whole = Path.Combine(directory.Path, "whole.txt");
        var resumed = Path.Combine(directory.Path, "resumed.txt");
        AssertSucceeded(MpiJob.Run(2, Bound, "train", "epochs=2", "output=" + whole));
        AssertSucceeded(MpiJob.Run(2, Bound, "train", "epochs=1", "checkpoints=" + checkpoints));
        var last = Path.Combine(checkpoints, "last.ckpt");
        AssertSucceeded(MpiJob.Run(2, Bound, "train", "epochs=2", "checkpoints=" + checkpoints, "resume=" + last, "output=" + resumed));
        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(resumed));

        var (exitCode, output) = MpiJob.Run(0, Bound, "train", "epochs=2", "strategy=single", "resume=" + last);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("sharded over 2 rank(s), this one over 1", output, StringComparison.Ordinal);
    }

    /// <summary>A rank that throws aborts the job at once (MPI_Abort) with one line naming it; the other rank does not hang.</summary>
    [SkippableFact]
    public void A_rank_that_throws_ends_the_job_with_a_line_naming_it()
    {
        MpiJob.RequireMpich();
        var (exitCode, output) = MpiJob.Run(2, FaultBound, "train", "fail=throw", "fail-rank=1", "fail-at=3");
        Assert.NotEqual(0, exitCode);
        Assert.True(output.Contains("Pipelines: rank 1 of 2: Fit failed: InvalidOperationException: boom at iteration 3", StringComparison.Ordinal), output);
        Assert.DoesNotContain("iterations=", output, StringComparison.Ordinal);
    }

    /// <summary>A rank killed by SIGKILL cannot speak: its supervisor names it, and the launcher ends the others within the bound.</summary>
    [SkippableFact]
    public void A_killed_rank_ends_the_job_with_a_line_naming_it()
    {
        MpiJob.RequireMpich();
        var (exitCode, output) = MpiJob.Run(2, FaultBound, "train", "fail=kill", "fail-rank=1", "fail-at=3");
        Assert.NotEqual(0, exitCode);
        Assert.Matches(@"Pipelines: rank 1 of 2 \(PID \d+ on [^)]+\) was killed by signal 9 \(SIGKILL, ", output);
        Assert.DoesNotContain("rank 0 of 2 (PID", output, StringComparison.Ordinal);
        Assert.DoesNotContain("iterations=", output, StringComparison.Ordinal);
    }

    /// <summary>
    /// NCCL with one rank (a valid smoke test on one GPU): CUDA gradients go through an NCCL
    /// all-reduce, and the parameters equal those of the same run without the strategy. A world of
    /// one needs no launcher and no MPICH (a GPU machine may have neither; the device kit runs it,
    /// docs/cuda.md). Skipped without a GPU.
    /// </summary>
    [SkippableFact]
    [Trait("Category", "CUDA")]
    public void On_cuda_one_rank_over_nccl_matches_the_single_process()
    {
        Skip.IfNot(torch.cuda.is_available(), "no CUDA device here: the NCCL path runs on a GPU machine");
        using var directory = new TempDirectory();
        var expected = TrainedParameters(directory, "single.txt", 0, "device=cuda", "batch=128", "strategy=single");
        var actual = TrainedParameters(directory, "nccl.txt", 0, "device=cuda", "batch=128", "strategy=ddp");
        Assert.InRange(MaxDifference(expected, actual), 0, Tolerance);
    }

    [SkippableFact]
    public void Open_MPIs_launcher_is_refused_naming_mpich()
    {
        MpiJob.RequireMpich();
        var (exitCode, output) = MpiJob.Run(0, Bound, new Dictionary<string, string> { ["OMPI_COMM_WORLD_SIZE"] = "2" }, "train", "epochs=1");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("launch it with mpiexec.mpich -n N (Debian package mpich)", output, StringComparison.Ordinal);
    }

    static void AssertSucceeded((int ExitCode, string Output) job) =>
        Assert.True(job.ExitCode == 0, $"the job failed ({job.ExitCode}):\n{job.Output}");

    static float[] Train(TempDirectory directory, string name, int processes, int batch, string strategy, int accumulate, string clipNorm) =>
        TrainedParameters(directory, name, processes, "batch=" + batch.ToString(CultureInfo.InvariantCulture), "strategy=" + strategy,
            "accumulate=" + accumulate.ToString(CultureInfo.InvariantCulture), "clip=" + clipNorm);

    // The host's "train" mode with settings on processes ranks (0: alone); rank 0's final parameters, written to name.
    static float[] TrainedParameters(TempDirectory directory, string name, int processes, params string[] settings)
    {
        var path = Path.Combine(directory.Path, name);
        AssertSucceeded(MpiJob.Run(processes, Bound, ["train", "output=" + path, .. settings]));
        return File.ReadAllLines(path).Select(line => float.Parse(line, CultureInfo.InvariantCulture)).ToArray();
    }

    static double MaxDifference(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();
}
