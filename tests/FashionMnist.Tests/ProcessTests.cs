using System.Diagnostics;
using FashionMnistSample;

namespace FashionMnist.Tests;

/// <summary>
/// The sample as a user runs it: the built program in its own process. A user's mistake is one
/// line naming the option, file or member and the fault, never a stack trace; exit code 2 for a
/// bad command line, 1 for a run that fails; and nothing is written before the inputs were checked.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ProcessTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("pipelines-process-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    string RunDirectory => Path.Combine(directory, "run");

    (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FashionMnist.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "the program did not end");
        return (process.ExitCode, output.Result, error.Result);
    }

    static void AssertOneLine(string error, string expected)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
        Assert.True(lines.Length <= 2, error);
    }

    [Theory]
    [InlineData(new[] { "--max-epochs", "0" }, "--max-epochs: '0': it must be at least 1.")]
    [InlineData(new[] { "--learning-rate", "fast" }, "--learning-rate: 'fast' is not a valid double.")]
    [InlineData(new[] { "--resume", "/nonexistent/last.ckpt" }, "--resume: '/nonexistent/last.ckpt': there is no such file.")]
    [InlineData(new[] { "--device", "gpu" }, "--device: 'gpu': devices are named cpu, cuda or cuda:N.")]
    [InlineData(new[] { "--max-epoch", "3" }, "Unrecognized command or argument '--max-epoch'. Did you mean --max-epochs?")]
    public void A_bad_command_line_is_one_line_exit_code_2_and_writes_nothing(string[] args, string expected)
    {
        var (exitCode, output, error) = Run([.. args, "--run-directory", RunDirectory]);
        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        AssertOneLine(error, expected);
        Assert.False(Directory.Exists(RunDirectory));
    }

    [Fact]
    public void A_missing_data_file_fails_the_run_with_one_line_naming_it_before_anything_is_written()
    {
        var data = Path.Combine(directory, "no-data");
        Directory.CreateDirectory(data);
        var (exitCode, _, error) = Run("--data-directory", data, "--run-directory", RunDirectory);
        Assert.Equal(1, exitCode);
        AssertOneLine(error, data);
        Assert.False(Directory.Exists(RunDirectory));
    }

    [SkippableFact]
    public void A_corrupt_checkpoint_to_resume_fails_the_run_with_one_line_naming_it_before_anything_is_written()
    {
        SampleSmokeTests.SkipWithoutDataset();
        var corrupt = Path.Combine(directory, "last.ckpt");
        File.WriteAllBytes(corrupt, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919))]);
        var (exitCode, _, error) = Run("--resume", corrupt, "--run-directory", RunDirectory, "--threads", "1");
        Assert.Equal(1, exitCode);
        AssertOneLine(error, corrupt);
        Assert.False(Directory.Exists(RunDirectory));
    }

    [Fact]
    public void Help_lists_the_hyperparameters_and_the_trainer_settings_and_exits_0()
    {
        var (exitCode, output, error) = Run("--help");
        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        Assert.Contains("--learning-rate <double>", output, StringComparison.Ordinal);
        Assert.Contains("--max-epochs <int>", output, StringComparison.Ordinal);
        Assert.Contains("[default: " + FashionMnistProgram.Defaults.Fit.MaxEpochs + "]", output, StringComparison.Ordinal);
    }
}
