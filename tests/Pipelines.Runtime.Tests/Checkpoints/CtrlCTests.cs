using System.Diagnostics;
using System.Globalization;
using Pipelines.Checkpoints;
using Xunit.Abstractions;

namespace Pipelines.Runtime.Tests.Checkpoints;

/// <summary>
/// Ctrl-C against a real process: the child (tests/Pipelines.Checkpoints.KillChild, "sigint" mode)
/// trains a generated pipeline with a <see cref="ConsoleInterrupt"/> token; SIGINT makes it finish
/// the iteration, write last.ckpt and exit 0 reporting the interruption; a second SIGINT, while the
/// iteration hangs, ends it at once. Every wait is bounded.
/// </summary>
public sealed class CtrlCTests(ITestOutputHelper output)
{
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    const int SigInt = 2;

    [Fact]
    public void First_SIGINT_finishes_the_iteration_writes_a_checkpoint_and_exits_0()
    {
        using var dir = new TempDirectory();
        using var child = Start(dir.Path, hang: false);
        using var reaper = new Reaper(child);
        Assert.Equal("ready", ReadLine(child));
        Signal(child);
        Assert.True(child.WaitForExit(Bound), "the child did not exit within the bound after SIGINT");
        var rest = child.StandardOutput.ReadToEnd();
        output.WriteLine(rest);
        Assert.Equal(0, child.ExitCode);
        var report = rest.Split('\n').Single(l => l.StartsWith("interrupted=", StringComparison.Ordinal)).Trim();
        Assert.StartsWith("interrupted=True ", report, StringComparison.Ordinal);
        var iteration = int.Parse(report.Split(' ')[1]["iteration=".Length..], CultureInfo.InvariantCulture);
        var path = Path.Combine(dir.Path, "last.ckpt");
        Assert.EndsWith("checkpoint=" + path, report, StringComparison.Ordinal);
        using var checkpoint = Checkpoint.Load(path);
        Assert.Equal(iteration, checkpoint.Counters.Iteration);
        Assert.True(checkpoint.Counters.IsMidEpoch || checkpoint.Counters.EpochIteration == 0);
        Assert.Contains(PipelineCheckpoints.TrainDataName, checkpoint.StateNames);
    }

    [Fact]
    public void Second_SIGINT_aborts_promptly()
    {
        using var dir = new TempDirectory();
        using var child = Start(dir.Path, hang: true);
        using var reaper = new Reaper(child);
        Assert.Equal("ready", ReadLine(child));
        Signal(child);
        // The notice (signal thread) and "hanging" (training thread) may come in either order.
        string[] lines = [ReadLine(child), ReadLine(child)];
        Assert.Contains("hanging", lines);
        Assert.Contains(lines, l => l.StartsWith("Interrupt:", StringComparison.Ordinal));
        var sent = Stopwatch.StartNew();
        Signal(child);
        Assert.True(child.WaitForExit(TimeSpan.FromSeconds(10)), "a second SIGINT did not end the process");
        output.WriteLine($"exit code {child.ExitCode} after {sent.ElapsedMilliseconds} ms");
        // Ended by the signal (128 + SIGINT), not by the run returning.
        Assert.Equal(128 + SigInt, child.ExitCode);
    }

    /// <summary>Kills the child if a failed assertion leaves it running (it would train for days).</summary>
    sealed class Reaper(Process child) : IDisposable
    {
        public void Dispose()
        {
            if (!child.HasExited)
                child.Kill(entireProcessTree: true);
        }
    }

    /// <summary><c>kill -INT pid</c>, as a user or a supervisor would send it.</summary>
    static void Signal(Process child)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-INT", child.Id.ToString(CultureInfo.InvariantCulture) } })!;
        Assert.True(kill.WaitForExit(Bound) && kill.ExitCode == 0, "kill -INT failed");
    }

    static string ReadLine(Process child)
    {
        var line = child.StandardOutput.ReadLineAsync();
        if (!line.Wait(Bound))
        {
            child.Kill();
            Assert.Fail("the child wrote nothing within the bound");
        }
        return line.Result?.Trim() ?? throw new InvalidOperationException("the child closed its output: " + child.StandardError.ReadToEnd());
    }

    static Process Start(string directory, bool hang)
    {
        var child = ChildPath();
        Assert.True(File.Exists(child), $"the child program is missing at {child}: build Pipelines.sln (it builds tests/Pipelines.Checkpoints.KillChild).");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        string[] command = [dotnet, child, "sigint", directory, .. hang ? new[] { "hang" } : []];
        // A process started with SIGINT ignored (a background job of a non-interactive shell) passes
        // that on, and .NET leaves an ignored SIGINT ignored: restore the default through python3's exec.
        if (SigIntIgnored() && File.Exists("/usr/bin/python3"))
            command = ["/usr/bin/python3", "-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])", .. command];
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command[1..])
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the child");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    static bool SigIntIgnored()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (ulong.Parse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & (1UL << (SigInt - 1))) != 0;
    }

    static string ChildPath()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = output.Name;
        var configuration = output.Parent!.Name;
        var tests = output.Parent.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(tests, "Pipelines.Checkpoints.KillChild", "bin", configuration, tfm, "Pipelines.Checkpoints.KillChild.dll");
    }
}
