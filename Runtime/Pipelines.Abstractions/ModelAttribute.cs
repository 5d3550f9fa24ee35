using System;
using System.Diagnostics;

namespace Pipelines;

/// <summary>A module the pipeline trains: switched to eval mode for validation and back to its previous mode after.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = false)]
[Conditional("PIPELINES_KEEP_ATTRIBUTES")]
public sealed class ModelAttribute : Attribute
{
}
