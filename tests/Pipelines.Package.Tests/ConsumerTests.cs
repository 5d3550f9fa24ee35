using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Pipelines.Package.Tests;

/// <summary>
/// Pipelines as a user gets it: the runtime and abstractions packed into a local feed, and a new
/// console project that references the <c>Pipelines</c> package alone. Its build must run the
/// generator (a <c>Fit</c> appears), the analyzers (a planted mistake is reported) and the Debian 12
/// load fix (the program loads TorchSharp here), and the program trains a few steps. Slow (a pack,
/// a restore and two builds), so it carries <c>Category=Package</c>.
/// </summary>
public sealed partial class ConsumerTests : IDisposable
{
    readonly string directory = Path.Combine(Path.GetTempPath(), "pipelines-consumer-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
    }

    const string Consumer = """
        using Pipelines;
        using Pipelines.Data;
        using TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch;

        LibTorchRuntime.Initialize();
        torch.manual_seed(3);
        using var inputs = randn(512, 8);
        using var weights = randn(8, 1);
        using var targets = inputs.matmul(weights);
        using var train = new BatchLoader(inputs, targets, new BatchLoaderOptions { BatchSize = 32, Shuffle = true, Seed = 3 });
        var pipeline = new Regression();
        var result = pipeline.Fit(train, options: new FitOptions { MaxEpochs = 3 });
        var perEpoch = train.Count;
        Console.WriteLine($"epochs {result.Epochs} first {pipeline.Losses.Take(perEpoch).Average():R} last {pipeline.Losses.TakeLast(perEpoch).Average():R}");

        [Pipeline]
        partial class Regression
        {
            [Model] readonly Sequential model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1));
            [Optimizer] readonly optim.Optimizer optimizer;

            public Regression() => optimizer = optim.SGD(model.parameters(), 0.05);

            public List<double> Losses { get; } = [];

            [TrainingStep]
            Tensor Train(Batch batch) => nn.functional.mse_loss(model.call(batch.Input), batch.Target);

            [ValidationStep]
            void Validate(Batch batch) => model.call(batch.Input).backward();

            [OnEvent(Events.IterationCompleted)]
            void Record(in PipelineState state) => Losses.Add(state.Loss);
        }
        """;

    static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Pipelines.sln")))
                return d.FullName;
        throw new InvalidOperationException("Pipelines.sln not found above " + AppContext.BaseDirectory);
    }

    static string NuGetCache() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    static (int ExitCode, string Output) Run(string arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {arguments} ran over 10 minutes.");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    [Fact]
    [Trait("Category", "Package")]
    public void A_new_project_built_from_the_package_alone_generates_analyzes_loads_and_trains()
    {
        var root = RepositoryRoot();
        var feed = Path.Combine(directory, "feed");
        foreach (var project in new[] { "Runtime/Pipelines.Abstractions", "Runtime/Pipelines.Runtime" })
        {
            var pack = Run($"pack {project} -c Release --no-build -o \"{feed}\"", root);
            Assert.True(pack.ExitCode == 0, pack.Output);
        }
        var package = Directory.GetFiles(feed, "Pipelines.0*.nupkg").Single();
        var version = Path.GetFileNameWithoutExtension(package)["Pipelines.".Length..];

        // A package folder of its own (the development version is rebuilt under the same number),
        // falling back to the machine's cache for TorchSharp and libtorch instead of fetching them again.
        var app = Path.Combine(directory, "app");
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(directory, "packages")}" /></config>
              <packageSources><add key="pipelines" value="{feed}" /></packageSources>
              <fallbackPackageFolders><add key="cache" value="{NuGetCache()}" /></fallbackPackageFolders>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "app.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Pipelines" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), Consumer);
        // The app must not see this repository's Directory.Build.* or central package versions.
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), "<Project />");

        var build = Run("build -c Release", app);
        Assert.True(build.ExitCode == 0, build.Output);
        // The analyzers: backward() in a validation step (PIPE018, planted above).
        Assert.Matches(@"Program\.cs\(\d+,\d+\): warning PIPE018: .*backward", build.Output);
        // The generator: the pipeline's loop was written at build time.
        var generated = Directory.GetFiles(Path.Combine(app, "obj"), "*Regression*.g.cs", SearchOption.AllDirectories);
        Assert.Contains(generated, file => File.ReadAllText(file).Contains("Fit(", StringComparison.Ordinal));

        // Loading TorchSharp here (Debian 12) is the proof that the package's build logic patched the shim.
        var run = Run("run -c Release --no-build", app);
        Assert.True(run.ExitCode == 0, run.Output);
        var losses = LossLine().Match(run.Output);
        Assert.True(losses.Success, run.Output);
        Assert.Equal("3", losses.Groups[1].Value);
        Assert.True(double.Parse(losses.Groups[3].Value) < double.Parse(losses.Groups[2].Value) * 0.5, run.Output);
    }

    [GeneratedRegex(@"epochs (\d+) first (\S+) last (\S+)")]
    private static partial Regex LossLine();
}
