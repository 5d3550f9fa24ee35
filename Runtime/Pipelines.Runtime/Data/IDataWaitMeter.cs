namespace Pipelines.Data;

/// <summary>
/// Measures how long the training thread waited for data: the time a batch source spent blocked
/// (prefetching) or building the batch itself (no prefetching). A progress bar divides its growth
/// by the wall-clock time to show the data-wait share of a step.
/// </summary>
public interface IDataWaitMeter
{
    /// <summary>The total time spent waiting for batches since the source was created.</summary>
    TimeSpan DataWait { get; }
}
