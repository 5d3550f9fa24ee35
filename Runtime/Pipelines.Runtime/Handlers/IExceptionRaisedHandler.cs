namespace Pipelines.Handlers;

/// <summary>
/// A callback for ExceptionRaised: a member of a [Pipeline] class, or a callback given in FitOptions.Callbacks, whose type implements it is called by the
/// generated loop when a step or handler throws, with the exception in the state's Exception; the exception propagates afterwards, members in declaration order with the [OnEvent] methods of that event by direct calls, then
/// FitOptions.Callbacks in their order by interface calls over an array (no delegate, no allocation).
/// </summary>
public interface IExceptionRaisedHandler : ICallback
{
    /// <summary>Called when a step or handler throws, with the exception in the state's Exception; the exception propagates afterwards.</summary>
    void OnExceptionRaised(in PipelineState state);
}
