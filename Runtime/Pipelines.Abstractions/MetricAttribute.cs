using System;
using System.Diagnostics;

namespace Pipelines;

/// <summary>A metric (<c>Reset</c>/<c>Update</c>/<c>Compute</c>): reset at the start of the phase whose step uses it, computed at its end, and reported as a property of the generated metrics record.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = false)]
[Conditional("PIPELINES_KEEP_ATTRIBUTES")]
public sealed class MetricAttribute : Attribute
{
}
