using System;
using System.Diagnostics;

namespace Pipelines;

/// <summary>An optimizer the engine drives: <c>zero_grad()</c> before an accumulation window, <c>step()</c> at its end.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = false)]
[Conditional("PIPELINES_KEEP_ATTRIBUTES")]
public sealed class OptimizerAttribute : Attribute
{
}
