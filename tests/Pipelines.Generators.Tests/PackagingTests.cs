namespace Pipelines.Generators.Tests;

public sealed class PackagingTests
{
    [Fact]
    public void Generator_does_not_load_the_abstractions_at_run_time()
    {
        // Attribute names come from nameof(), so the compiler can load the generator without
        // Pipelines.Abstractions.dll beside it.
        var references = typeof(PipelineGenerator).Assembly.GetReferencedAssemblies().Select(a => a.Name);
        Assert.DoesNotContain("Pipelines.Abstractions", references);
    }
}
