using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Pipelines.Analyzers.Tests;

/// <summary>
/// The runtime's layers, checked on its sources: <c>Pipelines.Checkpoints</c> sits below the
/// engine, so its folder compiles with only <c>Pipelines.Serialization</c>, TorchSharp and the
/// platform. A reference back to a run, a callback, a data source or a scheduler fails to compile here.
/// </summary>
public sealed class LayerTests
{
    const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    [Fact]
    public void Checkpoints_compile_without_the_engine_callbacks_data_or_schedulers()
    {
        var runtime = Path.Combine(CatalogueTests.RepoRoot(), "Runtime", "Pipelines.Runtime");
        var files = new[] { "Checkpoints", "Serialization" }
            .SelectMany(folder => Directory.GetFiles(Path.Combine(runtime, folder), "*.cs"))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Contains(files, f => f.EndsWith("Checkpoint.cs", StringComparison.Ordinal));
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parse, f))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, parse, "ImplicitUsings.cs"));
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => !Path.GetFileName(path).StartsWith("Pipelines.", StringComparison.Ordinal));
        var references = platform.Append(typeof(TorchSharp.torch.Tensor).Assembly.Location).Distinct()
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToImmutableArray();
        var compilation = CSharpCompilation.Create("CheckpointsAlone", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "Pipelines.Checkpoints reaches above its layer:\n" + string.Join("\n", errors.Take(20)));
    }
}
