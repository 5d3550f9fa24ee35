namespace Pipelines.Testing;

/// <summary>What a test compilation references, read from files already on disk (no NuGet look-up).</summary>
public static class TestReferences
{
    /// <summary>
    /// The test host's framework assemblies (its trusted platform assemblies) and the assemblies
    /// that declare <paramref name="anchors"/> (the Pipelines runtime, TorchSharp, ...), each path once.
    /// </summary>
    public static IEnumerable<string> Paths(params Type[] anchors) =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(anchors.Select(type => type.Assembly.Location))
            .Distinct();
}
