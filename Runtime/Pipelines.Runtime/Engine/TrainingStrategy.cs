namespace Pipelines;

/// <summary>How <c>Fit</c> spreads training over processes (Lightning's <c>Trainer(strategy=...)</c>).</summary>
public enum TrainingStrategy
{
    /// <summary>One process trains alone (the default).</summary>
    SingleProcess,

    /// <summary>
    /// Lightning's <c>ddp</c>: one process per rank of the MPI launcher (<c>mpiexec.mpich -n N</c>),
    /// each on its shard of the data; rank 0's initial weights are broadcast, gradients are averaged
    /// over the ranks at every optimizer step (a manual-optimization step calls
    /// <see cref="PipelineState.ReduceGradients"/>; docs/distributed.md).
    /// </summary>
    Ddp,
}
