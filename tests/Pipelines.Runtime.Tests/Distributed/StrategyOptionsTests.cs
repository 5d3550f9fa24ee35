namespace Pipelines.Runtime.Tests.Distributed;

/// <summary>What the data-parallel strategy decides without launching a job: the launcher's shard and the options it refuses.</summary>
public sealed class StrategyOptionsTests
{
    [Theory]
    [InlineData("1", "2", 1, 2)]
    [InlineData("0", "1", 0, 1)]
    [InlineData(null, null, 0, 1)]
    [InlineData("0", null, 0, 1)]
    [InlineData("2", "2", 0, 1)]
    [InlineData("x", "2", 0, 1)]
    [InlineData("-1", "2", 0, 1)]
    public void The_launcher_shard_comes_from_PMI_RANK_and_PMI_SIZE(string? rank, string? size, int expectedRank, int expectedSize) =>
        Assert.Equal(new DataShard(expectedRank, expectedSize), DataShard.FromLauncher(rank, size));

    [Fact]
    public void Without_a_launcher_loaders_take_the_whole_dataset()
    {
        Assert.Null(Environment.GetEnvironmentVariable("PMI_SIZE"));
        Assert.Equal(DataShard.Whole, new BatchLoaderOptions().Shard);
    }

    [Fact]
    public void Ddp_runs_on_cpu_and_cuda_devices_only()
    {
        new FitOptions { Strategy = TrainingStrategy.Ddp, Device = new Device(DeviceType.CUDA, 0) }.Validate();
        var error = Assert.Throws<ArgumentException>(() => new FitOptions { Strategy = TrainingStrategy.Ddp, Device = new Device(DeviceType.MPS, 0) }.Validate());
        Assert.Equal(nameof(FitOptions.Strategy), error.ParamName);
        Assert.Contains("NCCL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_undefined_strategy_is_refused() =>
        Assert.Equal(nameof(FitOptions.Strategy), Assert.Throws<ArgumentOutOfRangeException>(() => new FitOptions { Strategy = (TrainingStrategy)7 }.Validate()).ParamName);

    // Ddp itself is allowed under manual optimization (the step calls PipelineState.ReduceGradients; DataParallelTests runs it on 2 ranks).
    [Fact]
    public void Ddp_with_manual_optimization_refuses_only_the_automatic_options_before_mpi_starts()
    {
        var error = Assert.Throws<ArgumentException>(() => new PipelineRun(new FitOptions { Strategy = TrainingStrategy.Ddp, AccumulateGradBatches = 2 }, 4, 0, manualOptimization: true));
        Assert.StartsWith(nameof(FitOptions.AccumulateGradBatches) + " applies to automatic optimization", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Ddp", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_process_run_reduces_nothing()
    {
        using var run = new PipelineRun(new FitOptions(), 4, 0);
        run.ReduceGradients();
        Assert.Null(run.ProcessGroup);
    }

    [Fact]
    public void Without_a_launcher_the_command_line_keeps_the_strategy_it_was_given()
    {
        Assert.Equal(TrainingStrategy.SingleProcess, new Pipelines.CommandLine.TrainerSettings().PrepareRun().Strategy);
        Assert.Equal(TrainingStrategy.Ddp, new Pipelines.CommandLine.TrainerSettings { Fit = new() { Strategy = TrainingStrategy.Ddp } }.PrepareRun().Strategy);
    }
}
