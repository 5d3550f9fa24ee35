namespace Pipelines.Handlers;

/// <summary>
/// A callback for ExceptionRaised: a member of a [Pipeline] class whose type implements it is called by the
/// generated loop when a step or handler throws, with the exception in the state's Exception; the exception propagates afterwards, in declaration order with the other callbacks and [OnEvent] methods of that
/// event, by a direct call (no delegate, no allocation).
/// </summary>
public interface IExceptionRaisedHandler
{
    /// <summary>Called when a step or handler throws, with the exception in the state's Exception; the exception propagates afterwards.</summary>
    void OnExceptionRaised(in PipelineState state);
}
