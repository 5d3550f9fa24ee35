using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Pipelines.Analyzers.Tests;

/// <summary>
/// The runtime's layers, checked on its sources: every folder of <c>Runtime/Pipelines.Runtime</c>
/// holds one namespace, and compiles with only the folders of the layers below it, TorchSharp, the
/// abstractions and the platform. A reference that goes up a layer (or sideways to a layer not
/// listed) fails to compile here, so the namespaces form a DAG. The root namespace
/// <c>Pipelines</c> (folder Engine) sits in the middle: every namespace below it sees it
/// implicitly, so a back-reference to it fails here as any other.
/// </summary>
public sealed partial class LayerTests
{
    /// <summary>Each folder, its namespace and the folders it may use, bottom first.</summary>
    public static readonly TheoryData<string, string, string[]> Layers = new()
    {
        { "Serialization", "Pipelines.Serialization", [] },
        { "Core", "Pipelines.Core", [] },
        { "Distributed", "Pipelines.Distributed", ["Core"] },
        { "Checkpoints", "Pipelines.Checkpoints", ["Serialization"] },
        { "Metrics", "Pipelines.Metrics", ["Distributed", "Core", "Checkpoints", "Serialization"] },
        { "Data", "Pipelines.Data", ["Core", "Checkpoints", "Serialization"] },
        { "Engine", "Pipelines", ["Metrics", "Data", "Distributed", "Core", "Checkpoints", "Serialization"] },
        { "CommandLine", "Pipelines.CommandLine", ["Engine", "Metrics", "Data", "Distributed", "Core", "Checkpoints", "Serialization"] },
        { "Handlers", "Pipelines.Handlers", ["Engine", "Metrics", "Data", "Distributed", "Core", "Checkpoints", "Serialization"] },
        { "Schedulers", "Pipelines.Schedulers", ["Handlers", "Engine", "Metrics", "Data", "Distributed", "Core", "Checkpoints", "Serialization"] },
        { "Logging", "Pipelines.Logging", ["Handlers", "Engine", "Metrics", "Data", "Distributed", "Core", "Checkpoints", "Serialization"] },
        { "Generated", "Pipelines.Generated", ["Schedulers", "Logging", "Handlers", "CommandLine", "Engine", "Metrics", "Data", "Distributed", "Core", "Checkpoints", "Serialization"] },
    };

    const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    static string Runtime => Path.Combine(CatalogueTests.RepoRoot(), "Runtime", "Pipelines.Runtime");

    [Fact]
    public void Every_runtime_folder_is_a_layer()
    {
        var folders = Directory.GetDirectories(Runtime)
            .Where(d => Directory.GetFiles(d, "*.cs").Length > 0 && Path.GetFileName(d) is not ("bin" or "obj" or "build"))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal);
        var listed = Layers.Select(row => (string)row[0]).Order(StringComparer.Ordinal);
        Assert.Equal(listed, folders);
        Assert.Empty(Directory.GetFiles(Runtime, "*.cs"));
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Layer_holds_its_namespace_and_compiles_with_only_the_layers_below(string folder, string ns, string[] below)
    {
        var own = Directory.GetFiles(Path.Combine(Runtime, folder), "*.cs");
        foreach (var file in own)
            Assert.True(DeclaredNamespace(File.ReadAllText(file)) == ns, $"{file} does not declare namespace {ns}.");

        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = below.SelectMany(f => Directory.GetFiles(Path.Combine(Runtime, f), "*.cs"))
            .Concat(own)
            .Order(StringComparer.Ordinal)
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parse, f))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, parse, "ImplicitUsings.cs"));
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => !Path.GetFileName(path).StartsWith("Pipelines.", StringComparison.Ordinal));
        var references = platform
            .Append(typeof(TorchSharp.torch.Tensor).Assembly.Location)
            .Append(typeof(PipelineAttribute).Assembly.Location)
            .Distinct()
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToImmutableArray();
        var compilation = CSharpCompilation.Create(folder + "Alone", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, $"{ns} reaches above its layer (it may use {string.Join(", ", below)}):\n" + string.Join("\n", errors.Take(20)));
    }

    static string? DeclaredNamespace(string source) => FileScopedNamespace().Match(source) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex FileScopedNamespace();
}
