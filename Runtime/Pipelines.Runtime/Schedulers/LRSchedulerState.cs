namespace Pipelines.Schedulers;

/// <summary>
/// What a learning-rate scheduler needs to resume (PyTorch's <c>state_dict()</c>): the number of
/// steps taken and each parameter group's base learning rate. The rates themselves follow from
/// these through the scheduler's closed form.
/// </summary>
/// <param name="LastEpoch">Steps taken since construction (PyTorch's <c>last_epoch</c>).</param>
/// <param name="BaseLrs">Each parameter group's learning rate when the scheduler was created.</param>
public sealed record LRSchedulerState(int LastEpoch, IReadOnlyList<double> BaseLrs);
