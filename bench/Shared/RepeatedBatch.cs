using Pipelines.Data;

namespace Pipelines.Bench;

/// <summary>The same batch at every index: the data costs nothing, so the step and the loop around it show.</summary>
internal sealed class RepeatedBatch(Batch batch, int count) : IBatchSource<Batch>
{
    public int Count => count;

    public void StartPass() { }

    public Batch GetBatch(int index) => batch;
}
