using System.Diagnostics;
using System.Globalization;
using Pipelines.Checkpoints;
using Xunit.Abstractions;

namespace Pipelines.Runtime.Tests.Checkpoints;

/// <summary>
/// Atomicity under SIGKILL: a child process (tests/Pipelines.Checkpoints.KillChild) writes
/// checkpoints in a loop through <see cref="BestCheckpoints"/> and is killed at seeded random
/// moments, 20 times, each restart resuming from last.ckpt. After every kill the latest
/// checkpoint and every best file under its final name load, and each holds exactly the values of
/// the iteration its counters name: no final-name file is ever torn.
/// </summary>
[Collection(GlobalRandomState.Name)]
public sealed class CheckpointKillTests(ITestOutputHelper output)
{
    const int Kills = 20;
    const int Seed = 6;

    [Fact]
    public void Killing_the_writer_at_random_moments_never_leaves_a_broken_checkpoint()
    {
        var child = ChildPath();
        Assert.True(File.Exists(child), $"the child program is missing at {child}: build Pipelines.sln (it builds tests/Pipelines.Checkpoints.KillChild).");
        using var dir = new TempDirectory();
        var random = new Random(Seed);
        var progress = 0;
        var savedTotal = 0;
        var midWrite = 0;
        for (var kill = 0; kill < Kills; kill++)
        {
            var (resumedAt, saved) = RunAndKill(child, dir.Path, TimeSpan.FromMilliseconds(random.Next(0, 400)));
            Assert.True(resumedAt >= progress, $"kill {kill}: the child resumed at {resumedAt}, before the {progress} already on disk");
            savedTotal += saved;
            // A temporary file left behind means this kill landed inside a write.
            if (System.IO.Directory.GetFiles(dir.Path, ".*.tmp").Length > 0)
                midWrite++;
            progress = Verify(dir, kill);
        }
        output.WriteLine($"{Kills} kills, {savedTotal} checkpoints written, {midWrite} kill(s) inside a write, last iteration {progress}");
        Assert.True(progress > 0 && savedTotal > Kills, $"only {savedTotal} checkpoints were written in {Kills} runs: the kills did not land between writes");
    }

    static string ChildPath()
    {
        // tests/Pipelines.Runtime.Tests/bin/<Configuration>/<tfm>/ -> tests/Pipelines.Checkpoints.KillChild/bin/<Configuration>/<tfm>/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = output.Name;
        var configuration = output.Parent!.Name;
        var tests = output.Parent.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(tests, "Pipelines.Checkpoints.KillChild", "bin", configuration, tfm, "Pipelines.Checkpoints.KillChild.dll");
    }

    static (int ResumedAt, int Saved) RunAndKill(string child, string directory, TimeSpan delay)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(child);
        start.ArgumentList.Add(directory);
        using var process = Process.Start(start)!;
        var lines = new List<string>();
        var ready = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstSave = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = process.StandardError.ReadToEndAsync();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
                return;
            lock (lines)
                lines.Add(line);
            if (line.StartsWith("ready ", StringComparison.Ordinal))
                ready.TrySetResult(int.Parse(line["ready ".Length..], CultureInfo.InvariantCulture));
            else if (line.StartsWith("saved ", StringComparison.Ordinal))
                firstSave.TrySetResult();
        };
        process.BeginOutputReadLine();
        try
        {
            if (!ready.Task.Wait(TimeSpan.FromSeconds(60)))
                Assert.Fail("the child did not start within 60 s:\n" + (process.HasExited ? stderr.Result : "(still running)"));
            // The random delay counts from the run's first write, so that a loaded machine (a slow
            // start) cannot turn every kill into one that lands before anything is written.
            if (!firstSave.Task.Wait(TimeSpan.FromSeconds(60)))
                Assert.Fail("the child wrote no checkpoint within 60 s:\n" + (process.HasExited ? stderr.Result : "(still running)"));
            Thread.Sleep(delay);
            if (process.HasExited)
                Assert.Fail("the child exited on its own:\n" + stderr.Result);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(); // SIGKILL on Unix: no finally blocks, no flushing, mid-write if it was writing.
            process.WaitForExit();
        }
        lock (lines)
            return (ready.Task.Result, lines.Count(l => l.StartsWith("saved ", StringComparison.Ordinal)));
    }

    /// <summary>Checks every final-name file; returns the latest checkpoint's iteration (0 when none yet).</summary>
    static int Verify(TempDirectory dir, int kill)
    {
        var files = System.IO.Directory.GetFiles(dir.Path).Select(Path.GetFileName).ToList();
        var finals = files.Where(f => !f!.EndsWith(".tmp", StringComparison.Ordinal)).ToList();
        Assert.All(finals, f => Assert.True(f == "last.ckpt" || f!.StartsWith("best-epoch=", StringComparison.Ordinal), $"kill {kill}: unexpected file {f}"));
        // The keeper's list holds 3; one more can exist for a moment: a new best written just before
        // the kill (rewritten by the resumed run), or one that dropped out but was not deleted yet.
        Assert.True(finals.Count(f => f!.StartsWith("best-", StringComparison.Ordinal)) <= 4, $"kill {kill}: too many best files: {string.Join(", ", finals)}");
        var latest = 0;
        foreach (var name in finals)
        {
            var path = dir.File(name!);
            using var checkpoint = Checkpoint.Load(path);
            using var scope = torch.NewDisposeScope();
            var iteration = checkpoint.Counters.Iteration;
            foreach (var (key, tensor) in checkpoint.ModelStateDict("model"))
                Assert.True(tensor.eq(iteration).all().item<bool>(), $"kill {kill}: {name}: '{key}' does not hold {iteration} everywhere: a torn or mixed file");
            if (name == "last.ckpt")
                latest = iteration;
            else
                Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"best-epoch={iteration:D3}-"), name);
        }
        return latest;
    }
}
