using Pipelines.Distributed;
using Pipelines.Runtime.Tests.Checkpoints;

namespace Pipelines.Runtime.Tests.Distributed;

/// <summary>
/// <see cref="PipelineState.ReduceGradients"/> outside a data-parallel run: a manual step that calls it
/// trains bitwise as one that does not, and automatic optimization refuses it (the engine reduces
/// there). Its averaging over ranks is tested on 2 ranks in <see cref="DataParallelTests"/>.
/// </summary>
[Collection(GlobalRandomState.Name)]
public sealed class ManualReduceGradientsTests
{
    static float[] Train(bool reduces, TrainingStrategy strategy = TrainingStrategy.SingleProcess)
    {
        torch.manual_seed(1234);
        var inputs = torch.randn(48, 4);
        using var weights = torch.randn(4, 1);
        var targets = inputs.matmul(weights);
        using var data = new BatchLoader(inputs, targets, new BatchLoaderOptions { BatchSize = 8 });
        using var pipeline = new ManualReducingRegression { ReducesGradients = reduces };
        var initial = pipeline.Parameters();
        pipeline.Fit(data, new FitOptions { MaxEpochs = 2, Output = TextWriter.Null, Strategy = strategy });
        var trained = pipeline.Parameters();
        Assert.True(initial.Zip(trained, (a, b) => Math.Abs(a - b)).Max() > 1e-3, "12 SGD steps should move the weights");
        return trained;
    }

    [Fact]
    public void In_a_single_process_ReduceGradients_changes_nothing() =>
        Assert.Equal(Train(reduces: false), Train(reduces: true));

    /// <summary>
    /// Started without a launcher, Ddp is a world of one that joins no MPI (MPICH's library stays
    /// unloaded) and trains bitwise as without the strategy; its guard still sees a manual step that
    /// never averages its gradients.
    /// </summary>
    [Fact]
    public void Without_a_launcher_Ddp_is_a_world_of_one_that_needs_no_mpi()
    {
        Assert.Equal((0, 1), (ProcessGroup.World.Rank, ProcessGroup.World.WorldSize));
        Assert.Equal(Train(reduces: true), Train(reduces: true, TrainingStrategy.Ddp));
        var error = Assert.Throws<InvalidOperationException>(() => Train(reduces: false, TrainingStrategy.Ddp));
        Assert.StartsWith("Strategy Ddp: 6 manual-optimization steps (an epoch) passed without state.ReduceGradients()", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("libmpich", File.ReadAllText("/proc/self/maps"), StringComparison.Ordinal);
    }

    [Fact]
    public void Under_automatic_optimization_ReduceGradients_is_refused()
    {
        using var run = new PipelineRun(new FitOptions(), 4, 0);
        var error = Assert.Throws<InvalidOperationException>(() => new PipelineState(run).ReduceGradients());
        Assert.Contains("the engine averages the gradients", error.Message, StringComparison.Ordinal);
    }
}
