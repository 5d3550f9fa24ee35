using System;
using System.Diagnostics;

namespace Pipelines;

/// <summary>
/// Calls the method when <see cref="Event"/> fires, optionally filtered (PyTorch Ignite's
/// semantics, counters 1-based): <see cref="Every"/> = n fires on every n-th occurrence,
/// <see cref="Once"/> = n exactly once at the n-th, <see cref="Before"/>/<see cref="After"/>
/// bound the counter exclusively, and with either bound <see cref="Every"/> counts from
/// <c>After + 1</c>. Epoch events count epochs, iteration events iterations. The method takes
/// no parameter or <c>in PipelineState</c>; several handlers on one event run in declaration order.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
[Conditional("PIPELINES_KEEP_ATTRIBUTES")]
public sealed class OnEventAttribute : Attribute
{
    /// <summary>Calls the method when <paramref name="event"/> fires.</summary>
    public OnEventAttribute(Events @event) => Event = @event;

    /// <summary>The event the method handles.</summary>
    public Events Event { get; }

    /// <summary>Fire on every n-th occurrence (n &gt; 0); counts from <c>After + 1</c> when a bound is set.</summary>
    public int Every { get; set; }

    /// <summary>Fire only at the n-th occurrence (n &gt; 0); not combinable with the other filters.</summary>
    public int Once { get; set; }

    /// <summary>Fire only while the counter is below n (exclusive).</summary>
    public int Before { get; set; }

    /// <summary>Fire only once the counter is above n (exclusive).</summary>
    public int After { get; set; }
}
