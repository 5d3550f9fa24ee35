using System.Diagnostics;
using System.Globalization;

namespace Pipelines.Runtime.Tests.Distributed;

/// <summary>
/// Runs tests/Pipelines.Distributed.Host (its build output, or its published executable beside this
/// assembly) alone or under <c>mpiexec.mpich -n N</c>, within a time
/// bound; the tests that need MPICH skip, naming the package, where it is not installed.
/// </summary>
internal static class MpiJob
{
    public const string Launcher = "mpiexec.mpich";

    /// <summary>The launcher's path, or null when MPICH is not installed.</summary>
    public static string? LauncherPath { get; } = Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator)
        .Select(directory => Path.Combine(directory, Launcher)).FirstOrDefault(File.Exists);

    /// <summary>Skips the calling test when MPICH is missing.</summary>
    public static void RequireMpich() =>
        Skip.If(LauncherPath is null, $"{Launcher} is not on PATH: install Debian's mpich package (./run.sh test does).");

    /// <summary>The exit code and the output of the host with <paramref name="arguments"/>, on <paramref name="processes"/> ranks (0: alone, without a launcher).</summary>
    public static (int ExitCode, string Output) Run(int processes, TimeSpan bound, params string[] arguments) =>
        Run(processes, bound, new Dictionary<string, string>(), arguments);

    /// <summary>As <see cref="Run(int, TimeSpan, string[])"/>, with <paramref name="environment"/> added to the job's environment.</summary>
    public static (int ExitCode, string Output) Run(int processes, TimeSpan bound, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        Run(processes, bound, environment, interruptAfter: null, arguments);

    /// <summary>
    /// As <see cref="Run(int, TimeSpan, string[])"/>, sending SIGINT to the launcher (Ctrl-C) once the
    /// job has written the line <paramref name="interruptAfter"/>.
    /// </summary>
    public static (int ExitCode, string Output) RunAndInterrupt(int processes, TimeSpan bound, string interruptAfter, params string[] arguments) =>
        Run(processes, bound, new Dictionary<string, string>(), interruptAfter, arguments);

    static (int ExitCode, string Output) Run(int processes, TimeSpan bound, IReadOnlyDictionary<string, string> environment, string? interruptAfter, string[] arguments)
    {
        string[] host = HostCommand();
        string[] command = processes == 0 ? [.. host, .. arguments] : [LauncherPath!, "-n", processes.ToString(CultureInfo.InvariantCulture), .. host, .. arguments];
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command[1..])
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + command[0]);
        var output = ReadOutput(process, interruptAfter);
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(bound))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the job did not end within {bound.TotalSeconds} s: {string.Join(' ', command)}");
        }
        return (process.ExitCode, output.Result + error.Result);
    }

    // The standard output, read line by line; SIGINT to the launcher after the line interruptAfter.
    static async Task<string> ReadOutput(Process process, string? interruptAfter)
    {
        var output = new System.Text.StringBuilder();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            output.AppendLine(line);
            if (line == interruptAfter)
                Assert.Equal(0, Kill(process.Id, Sigint));
        }
        return output.ToString();
    }

    const int Sigint = 2;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    static extern int Kill(int pid, int signal);

    // The host's command: its self-contained executable beside this assembly (the device kit publishes both into
    // one folder: a GPU machine has no dotnet), else the build output's dll run by the SDK's dotnet.
    static string[] HostCommand()
    {
        // (The build output here holds the host's apphost, copied by the project reference, but not its dll.)
        var published = Path.Combine(AppContext.BaseDirectory, "Pipelines.Distributed.Host");
        if (File.Exists(published) && File.Exists(published + ".dll"))
            return [published];
        // tests/Pipelines.Runtime.Tests/bin/<Configuration>/<tfm>/ -> tests/Pipelines.Distributed.Host/bin/<Configuration>/<tfm>/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = output.Name;
        var configuration = output.Parent!.Name;
        var tests = output.Parent.Parent!.Parent!.Parent!.FullName;
        var host = Path.Combine(tests, "Pipelines.Distributed.Host", "bin", configuration, tfm, "Pipelines.Distributed.Host.dll");
        Assert.True(File.Exists(host), $"the host program is missing at {host}: build Pipelines.sln (it builds tests/Pipelines.Distributed.Host).");
        return [Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", host];
    }
}
