using Pipelines.Testing;

namespace Pipelines.Generators.Tests;

/// <summary>Source text shared by the snippets: the test doubles and usings of <see cref="TestSources"/>.</summary>
internal static class Fixtures
{
    /// <summary>The test doubles (<c>Fixtures.Net</c>, <c>Fixtures.Sgd</c>) as a file that compiles on its own.</summary>
    public const string Source = TestSources.Usings + TestSources.Doubles;

    /// <summary>The usings of a snippet, the test doubles' namespace among them.</summary>
    public const string Usings = TestSources.Usings + "using Fixtures;\n";

    /// <summary>Runs the generator over the fixtures plus <paramref name="snippet"/> and returns the single generated file.</summary>
    public static string GenerateOne(string snippet)
    {
        var files = GeneratorHarness.Generate(Source, Usings + snippet);
        return Assert.Single(files).Text;
    }
}
