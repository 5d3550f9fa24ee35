using System;
using System.Diagnostics;

namespace Pipelines;

/// <summary>
/// Lightning's <c>configure_optimizers</c>: an instance method with no parameters that returns
/// void and builds the [Optimizer] members (and what is built from them, such as an LR scheduler).
/// <c>Fit</c> calls it once, after it has placed every [Model] on <c>FitOptions.Device</c>, so the
/// optimizers hold the placed parameters; a checkpoint's optimizer state is restored after it.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
[Conditional("PIPELINES_KEEP_ATTRIBUTES")]
public sealed class ConfigureOptimizersAttribute : Attribute
{
}
