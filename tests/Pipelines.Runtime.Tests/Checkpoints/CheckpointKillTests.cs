using System.Diagnostics;
using System.Globalization;
using Pipelines.Checkpoints;
using Pipelines.Handlers;
using Xunit.Abstractions;

namespace Pipelines.Runtime.Tests.Checkpoints;

/// <summary>
/// Atomicity under SIGKILL: a child process (tests/Pipelines.Checkpoints.KillChild) writes
/// checkpoints in a loop through <see cref="BestCheckpoints"/> and is killed at seeded random
/// moments, <see cref="Kills"/> times, each restart resuming from last.ckpt. After every kill the
/// latest checkpoint and every best file under its final name load (checksums verified), each
/// holds exactly the values of the iteration its counters name, and no checkpoint the child
/// reported written is lost: no final-name file is ever torn or rolled back. And a write that
/// fails (a full file system, a file-size limit) leaves the previous checkpoints intact and is
/// reported as an <see cref="IOException"/> naming the file.
/// </summary>
[Collection(GlobalRandomState.Name)]
public sealed class CheckpointKillTests(ITestOutputHelper output)
{
    const int Kills = 50;
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
            var (resumedAt, saved, lastSaved) = RunAndKill(child, dir.Path, TimeSpan.FromMilliseconds(random.Next(0, 250)));
            Assert.True(resumedAt >= progress, $"kill {kill}: the child resumed at {resumedAt}, before the {progress} already on disk");
            savedTotal += saved;
            // A temporary file left behind means this kill landed inside a write.
            if (System.IO.Directory.GetFiles(dir.Path, ".*.tmp").Length > 0)
                midWrite++;
            progress = Verify(dir.Path, $"kill {kill}");
            Assert.True(progress >= lastSaved, $"kill {kill}: last.ckpt holds iteration {progress}, but the child had reported {lastSaved} written");
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

    /// <summary>Starts the child, kills it <paramref name="delay"/> after its first write; returns where it resumed, how many checkpoints it reported and the last one.</summary>
    static (int ResumedAt, int Saved, int LastSaved) RunAndKill(string child, string directory, TimeSpan delay)
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
        {
            var saved = lines.Where(l => l.StartsWith("saved ", StringComparison.Ordinal)).Select(l => int.Parse(l["saved ".Length..], CultureInfo.InvariantCulture)).ToList();
            return (ready.Task.Result, saved.Count, saved.Count > 0 ? saved[^1] : 0);
        }
    }

    /// <summary>Checks every final-name file in <paramref name="directory"/>; returns the latest checkpoint's iteration (0 when none yet).</summary>
    static int Verify(string directory, string context)
    {
        var files = System.IO.Directory.GetFiles(directory).Select(Path.GetFileName).ToList();
        var finals = files.Where(f => !f!.EndsWith(".tmp", StringComparison.Ordinal)).ToList();
        Assert.All(finals, f => Assert.True(f == "last.ckpt" || f!.StartsWith("best-epoch=", StringComparison.Ordinal), $"{context}: unexpected file {f}"));
        // The keeper's list holds 3; one more can exist for a moment: a new best written just before
        // the kill (rewritten by the resumed run), or one that dropped out but was not deleted yet.
        Assert.True(finals.Count(f => f!.StartsWith("best-", StringComparison.Ordinal)) <= 4, $"{context}: too many best files: {string.Join(", ", finals)}");
        var latest = 0;
        foreach (var name in finals)
        {
            var path = Path.Combine(directory, name!);
            using var checkpoint = Checkpoint.Load(path);
            using var scope = torch.NewDisposeScope();
            var iteration = checkpoint.Counters.Iteration;
            foreach (var (key, tensor) in checkpoint.ModelStateDict("model"))
                Assert.True(tensor.eq(iteration).all().item<bool>(), $"{context}: {name}: '{key}' does not hold {iteration} everywhere: a torn or mixed file");
            if (name == "last.ckpt")
                latest = iteration;
            else
                Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"best-epoch={iteration:D3}-"), name);
        }
        return latest;
    }

    /// <summary>
    /// A real full file system: a 6 MiB tmpfs mounted in a user and mount namespace of the child's
    /// own (unshare), whose files are copied out after it exits. The child writes ever larger
    /// checkpoints until the disk is full.
    /// </summary>
    [SkippableFact]
    public void A_full_file_system_leaves_the_previous_checkpoints_intact_and_reports_the_error()
    {
        Skip.IfNot(Succeeds("unshare", "--user", "--map-root-user", "--mount", "true"), "user namespaces are not available here (unshare --user --mount failed)");
        using var mount = new TempDirectory();
        using var copy = new TempDirectory();
        var output = RunFill("unshare", ["--user", "--map-root-user", "--mount", "bash", "-c",
            """mount -t tmpfs -o size=6m tmpfs "$1" && "$2" "$3" fill "$1"; status=$?; cp -a "$1"/. "$4"/; exit $status""",
            "fill", mount.Path, DotnetHost, ChildPath(), copy.Path], []);
        AssertFilled(output, copy.Path, mount.Path, "No space left on device");
    }

    /// <summary>A write error on any machine: a file-size limit (ulimit -f, SIGXFSZ ignored) makes the write that outgrows it fail with EFBIG.</summary>
    [Fact]
    public void A_write_error_from_a_file_size_limit_leaves_the_previous_checkpoints_intact_and_reports_the_error()
    {
        using var dir = new TempDirectory();
        // W^X double-mapping makes the runtime ftruncate a large memory file at start-up, which the limit would refuse.
        var output = RunFill("bash", ["-c", """trap "" XFSZ; ulimit -f 3000; exec "$1" "$2" fill "$3" """, "fill", DotnetHost, ChildPath(), dir.Path],
            [("DOTNET_EnableWriteXorExecute", "0")]);
        AssertFilled(output, dir.Path, dir.Path, "too large");
    }

    static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    static bool Succeeds(string program, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in arguments)
                start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    static string RunFill(string program, string[] arguments, (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the fill child did not finish within 2 minutes");
        Assert.True(process.ExitCode == 0, $"the fill child exited {process.ExitCode}:\n{stdout}\n{stderr.Result}");
        return stdout;
    }

    /// <summary>
    /// The child wrote some checkpoints, then one write failed with an error naming the file and
    /// saying the previous one is unchanged; no temporary file is left, and every file (the last
    /// checkpoint written whole, the best files) loads with the values its counters name.
    /// </summary>
    /// <param name="output">The child's standard output.</param>
    /// <param name="directory">Where the files are now.</param>
    /// <param name="writtenIn">Where the child wrote them (what its error names).</param>
    /// <param name="cause">What the error must say about the cause.</param>
    static void AssertFilled(string output, string directory, string writtenIn, string cause)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var saved = lines.Where(l => l.StartsWith("saved ", StringComparison.Ordinal)).Select(l => int.Parse(l["saved ".Length..], CultureInfo.InvariantCulture)).ToList();
        Assert.True(saved.Count >= 2, $"fewer than 2 checkpoints fit before the failure:\n{output}");
        var failure = Assert.Single(lines, l => l.StartsWith("failed ", StringComparison.Ordinal));
        Assert.StartsWith($"failed {saved[^1] + 1}: {writtenIn}", failure);
        Assert.Contains(cause, failure);
        Assert.Contains("the previous file at this path, if any, is unchanged", failure);
        Assert.Empty(System.IO.Directory.GetFiles(directory, ".*.tmp"));
        // Nothing of the failed write remains: not its best file either, when it was last.ckpt that did not fit.
        Assert.DoesNotContain(System.IO.Directory.GetFiles(directory), f => Path.GetFileName(f).StartsWith($"best-epoch={saved[^1] + 1:D3}-", StringComparison.Ordinal));
        Assert.Equal(saved[^1], Verify(directory, "after the failed write"));
        using var last = Checkpoint.Load(Path.Combine(directory, "last.ckpt"));
        Assert.Equal(saved[^1], last.Counters.Iteration);
    }
}
