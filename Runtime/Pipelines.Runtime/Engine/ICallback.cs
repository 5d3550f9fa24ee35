namespace Pipelines;

/// <summary>
/// A callback: an object that takes part in a run through the per-event interfaces it implements
/// (<c>IStartedHandler</c>, <c>IIterationCompletedHandler</c>, ... <c>IExceptionRaisedHandler</c>, one per
/// event), every one of which extends this one. Given to <c>Fit</c> in <see cref="FitOptions.Callbacks"/>
/// it is a trainer callback (Lightning's <c>Trainer(callbacks=[...])</c>); held by a [Pipeline] class it
/// is a member callback. Either way the loop calls it at its events with no allocation; one that
/// implements <c>ICheckpointState</c> is saved in every checkpoint and restored on resume.
/// </summary>
public interface ICallback;
