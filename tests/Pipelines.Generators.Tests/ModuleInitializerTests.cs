using Pipelines.Generators.Emit;

namespace Pipelines.Generators.Tests;

/// <summary>The module initializer that calls <c>LibTorchRuntime.Initialize</c> before an assembly's first TorchSharp call.</summary>
public sealed class ModuleInitializerTests
{
    const string Pipeline = """
        [Pipeline]
        public partial class {0}
        {{
            [Model] readonly Net model = new();
            [Optimizer] readonly Sgd optimizer = new();

            [TrainingStep]
            Tensor Train(Batch batch) => model.call(batch.Input);
        }}
        """;

    static string[] Initializers(params string[] names)
    {
        var result = GeneratorHarness.RunOnly(Fixtures.Source, Fixtures.Usings + string.Concat(names.Select(n => string.Format(Pipeline, n))));
        return result.GeneratedSources.Where(s => s.HintName == LibTorchRuntimeInitializerEmitter.HintName).Select(s => s.SourceText.ToString()).ToArray();
    }

    [Fact]
    public void One_pipeline_gets_a_module_initializer_that_prepares_the_torch_runtime()
    {
        var initializer = Assert.Single(Initializers("A"));
        Assert.Contains("[global::System.Runtime.CompilerServices.ModuleInitializer]", initializer);
        Assert.Contains("global::Pipelines.LibTorchRuntime.Initialize()", initializer);
    }

    [Fact]
    public void The_programs_own_assembly_puts_a_launched_rank_under_its_supervisor_before_libtorch_loads()
    {
        var initializer = Assert.Single(Initializers("A"));
        var supervise = initializer.IndexOf("if (global::System.Reflection.Assembly.GetEntryAssembly() == typeof(LibTorchRuntimeInitializer).Assembly)", StringComparison.Ordinal);
        Assert.True(supervise >= 0, initializer);
        var call = initializer.IndexOf("global::Pipelines.Distributed.RankSupervisor.EnsureSupervised();", supervise, StringComparison.Ordinal);
        Assert.True(call > supervise, initializer);
        Assert.True(initializer.IndexOf("global::Pipelines.LibTorchRuntime.Initialize()", StringComparison.Ordinal) > call, initializer);
    }

    [Fact]
    public void Several_pipelines_share_one_initializer() => Assert.Single(Initializers("A", "B", "C"));

    [Fact]
    public void An_assembly_without_a_valid_pipeline_gets_none() => Assert.Empty(Initializers());

    [Fact]
    public void The_initializer_compiles_cleanly_beside_the_pipelines() =>
        // Generate compiles the snippet with everything generated and fails on any warning or error.
        Assert.Single(GeneratorHarness.Generate(Fixtures.Source, Fixtures.Usings + string.Format(Pipeline, "A")));
}
