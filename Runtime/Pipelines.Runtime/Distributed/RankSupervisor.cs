using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Pipelines.Distributed;

/// <summary>
/// Names a rank that dies without a word. When one rank of an <c>mpiexec.mpich</c> job dies, the
/// launcher ends the others at once (SIGKILL to their process groups), but a rank killed by a
/// signal (the kernel's out-of-memory killer, <c>kill -9</c>, a crash in native code) cannot say
/// which rank it was, and the launcher names only a PID. So each launched rank runs as the child of
/// a small supervisor, its own program started again with the same command line (Lightning's
/// launcher starts its ranks as subprocesses of the script the same way): the supervisor waits for
/// the child, and when a signal ended it writes one line naming the rank before exiting with the
/// child's status, which makes the launcher end the job. The launcher signals a rank's whole
/// process group (Ctrl-C, termination), which reaches the child directly: the supervisor ignores
/// SIGINT, SIGTERM and SIGHUP, so that the child's own handling (an interrupt that writes a
/// checkpoint) is not cut short by its supervisor's end.
/// </summary>
public static class RankSupervisor
{
    /// <summary>Set in the supervised child's environment: the supervisor's process id.</summary>
    internal const string SupervisorVariable = "PIPELINES_RANK_SUPERVISOR";

    const int PrSetParentDeathSignal = 1;

    static readonly PosixSignal[] Ignored = [PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP];

    // Linux's signal names by number.
    static readonly string[] SignalNames =
        ["", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM"];

    /// <summary>
    /// Runs first in a program that <c>mpiexec.mpich</c> starts several times: the module
    /// initializer the generator writes into an assembly with [Pipeline] classes calls it when that
    /// assembly is the program's; a program whose pipelines live in a library calls it first in
    /// <c>Main</c>. In a launched rank that is not yet supervised, it
    /// starts the program again as the supervised child, waits for it and ends this process with the
    /// child's exit code: it does not return. In the supervised child, and in a process started
    /// without a launcher or on another system than Linux, it returns at once; the child is
    /// ended by the kernel if its supervisor dies (no rank outlives its supervisor to wait in a
    /// collective forever).
    /// </summary>
    public static void EnsureSupervised()
    {
        if (!OperatingSystem.IsLinux() || MpichLauncher.Launched() is not { } launched)
            return;
        if (Environment.GetEnvironmentVariable(SupervisorVariable) is { } supervisor)
        {
            EndWithSupervisor(supervisor);
            return;
        }
        if (Environment.ProcessPath is not { } program || !File.Exists("/proc/self/cmdline"))
            return;
        Environment.Exit(Supervise(program, launched.Rank, launched.Size));
    }

    static int Supervise(string program, int rank, int size)
    {
        // argv exactly as the launcher gave it (the dotnet host's own options included), after the program itself.
        var arguments = File.ReadAllText("/proc/self/cmdline").Split('\0');
        var start = new ProcessStartInfo(program) { UseShellExecute = false };
        foreach (var argument in arguments[1..^1])
            start.ArgumentList.Add(argument);
        start.Environment[SupervisorVariable] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        // The launcher's signals reach the child too (the same process group): the child decides.
        var registrations = Ignored.Select(signal => PosixSignalRegistration.Create(signal, context => context.Cancel = true)).ToArray();
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start rank {rank}'s process {program}.");
        child.WaitForExit();
        foreach (var registration in registrations)
            registration.Dispose();
        if (KilledBy(child.ExitCode) is { } signal)
        {
            Console.Error.WriteLine($"Pipelines: rank {rank} of {size} (PID {child.Id} on {Environment.MachineName}) was killed by signal {signal}: the launcher ends every rank.");
            Console.Error.Flush();
        }
        return child.ExitCode;
    }

    /// <summary>
    /// The signal, as "9 (SIGKILL)", that an exit code reports (.NET gives 128 + the signal's
    /// number for a child a signal ended), or null for an exit code a process returned itself.
    /// </summary>
    internal static string? KilledBy(int exitCode)
    {
        var signal = exitCode - 128;
        if (signal is < 1 or > 64)
            return null;
        var name = signal < SignalNames.Length ? SignalNames[signal] : "SIGRTMIN+" + (signal - 34).ToString(CultureInfo.InvariantCulture);
        var hint = signal == 9 ? ", the out-of-memory killer's or a kill -9" : "";
        return $"{signal} ({name}{hint})";
    }

    // In the child: the kernel kills it when its supervisor dies; a supervisor already gone ends it now.
    static void EndWithSupervisor(string supervisor)
    {
        _ = SetParentDeathSignal(PrSetParentDeathSignal, 9);
        if (int.TryParse(supervisor, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && ParentProcessId() != pid)
            Environment.Exit(1);
    }

    [DllImport("libc", EntryPoint = "prctl")]
    static extern int SetParentDeathSignal(int option, nint signal, nint unused3 = 0, nint unused4 = 0, nint unused5 = 0);

    [DllImport("libc", EntryPoint = "getppid")]
    static extern int ParentProcessId();
}
