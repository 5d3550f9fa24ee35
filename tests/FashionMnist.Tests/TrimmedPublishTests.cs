using System.Diagnostics;

namespace FashionMnist.Tests;

/// <summary>
/// The trimmed publish: the sample publishes trimmed and self-contained with no trim warning
/// (warnings are errors) but TorchSharp's own IL2104, which the project suppresses while keeping
/// TorchSharp whole, and the published program runs a fast dev run (so TorchSharp's reflection
/// over module fields still finds every parameter). Slow (a publish), so it carries the trait
/// <c>Category=Publish</c>; it skips, saying why, when the linux-x64 runtime pack or the ILLink
/// package cannot be restored.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class TrimmedPublishTests : IDisposable
{
    readonly string directory = Path.Combine(Path.GetTempPath(), "pipelines-publish-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
    }

    internal static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Pipelines.sln")))
                return d.FullName;
        throw new InvalidOperationException("Pipelines.sln not found above " + AppContext.BaseDirectory);
    }

    static (int ExitCode, string Output) Run(string file, string arguments, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} ran over {timeout}.");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    [SkippableFact]
    [Trait("Category", "Publish")]
    public void The_sample_publishes_trimmed_without_warnings_and_runs()
    {
        SampleSmokeTests.SkipWithoutDataset();
        var root = RepositoryRoot();
        var publish = Path.Combine(directory, "publish");
        var clock = Stopwatch.StartNew();
        var (exitCode, output) = Run("dotnet",
            // The sample's project sets PublishTrimmed (as a command-line property it would reach the netstandard2.0 references).
            $"publish samples/FashionMnist -c Release -r linux-x64 --self-contained -o \"{publish}\" -nologo",
            root, TimeSpan.FromMinutes(15));
        var restoreFailed = output.Contains("NU1101", StringComparison.Ordinal) || output.Contains("NU1102", StringComparison.Ordinal)
            || output.Contains("NETSDK1112", StringComparison.Ordinal) || output.Contains("NETSDK1094", StringComparison.Ordinal);
        Skip.If(exitCode != 0 && restoreFailed, "the linux-x64 runtime pack or Microsoft.NET.ILLink.Tasks cannot be restored here:\n" + output);
        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("warning IL", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Trim analysis warning", output, StringComparison.Ordinal);
        // Trimmed: a self-contained net10.0 app ships about 190 framework assemblies untrimmed, this one a few dozen.
        var assemblies = Directory.GetFiles(publish, "*.dll").Length;
        Assert.True(assemblies < 100, $"{assemblies} assemblies in {publish}: the publish was not trimmed.\n{output}");
        var published = clock.Elapsed;

        var program = Path.Combine(publish, "FashionMnist");
        var run = Run(program, $"--fast-dev-run --threads 1 --run-directory \"{Path.Combine(directory, "run")}\"", directory, TimeSpan.FromMinutes(5));
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("test accuracy ", run.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(directory, "run", "hparams.json")));
        Console.WriteLine($"trimmed publish {published.TotalSeconds:F0} s, fast dev run {(clock.Elapsed - published).TotalSeconds:F0} s");
    }
}
