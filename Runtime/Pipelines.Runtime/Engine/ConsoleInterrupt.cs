using System.Runtime.InteropServices;
using Pipelines.Distributed;

namespace Pipelines;

/// <summary>
/// Ctrl-C (SIGINT) as a graceful interruption: the first one cancels <see cref="Token"/> and keeps
/// the process alive, so a <c>Fit</c> given the token finishes the iteration in progress, writes a
/// resumable checkpoint (with <see cref="FitOptions.Checkpoints"/>) and returns a result with
/// <c>Interrupted</c> set; a second one is left to the runtime's default, which ends the process
/// at once. Nothing is installed until it is created, and disposing it removes the handler.
/// <code>
/// using var interrupt = new ConsoleInterrupt();
/// var result = pipeline.Fit(train, validation, options, interrupt.Token);
/// if (result.Interrupted) Console.WriteLine($"interrupted; resume with --resume {result.LastCheckpoint}");
/// </code>
/// </summary>
public sealed class ConsoleInterrupt : IDisposable
{
    // In a rank of a job mpiexec.mpich started several times: the launcher handles a second Ctrl-C
    // (it ends the job), and a rank can stop, agreed with a rank whose signal came first, before its
    // own signal is handled; so SIGINT never ends such a rank, not even after Dispose.
    static readonly bool launchedRank = MpichLauncher.Launched() is not null;

    // Never disposed: a signal handled on the runtime's signal thread while Dispose runs must still find it usable.
    readonly CancellationTokenSource source = new();
    readonly PosixSignalRegistration registration;
    readonly TextWriter? notice;
    int signals;
    volatile bool disposed;

    /// <summary>Handles SIGINT from now on (SIGINT and Ctrl-C on every platform .NET supports).</summary>
    /// <param name="notice">Where to say what the first Ctrl-C does (null: say nothing); standard error by default.</param>
    public ConsoleInterrupt(TextWriter? notice = null)
        : this(notice ?? Console.Error, announce: true)
    {
    }

    ConsoleInterrupt(TextWriter? notice, bool announce)
    {
        this.notice = announce ? notice : null;
        registration = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
    }

    /// <summary>A handler that says nothing on the first Ctrl-C.</summary>
    public static ConsoleInterrupt Silent() => new(null, announce: false);

    /// <summary>Cancelled by the first Ctrl-C; pass it to <c>Fit</c> (not to the data loader, whose token abandons a pass).</summary>
    public CancellationToken Token => source.Token;

    /// <summary>The number of SIGINTs received so far.</summary>
    public int Signals => Volatile.Read(ref signals);

    void OnSignal(PosixSignalContext context)
    {
        var count = Interlocked.Increment(ref signals);
        // A second signal keeps the default action (the process ends now), except in a launched rank.
        context.Cancel = count == 1 || launchedRank;
        if (count == 1 && !disposed)
        {
            notice?.WriteLine("Interrupt: finishing the iteration and writing a checkpoint; press Ctrl-C again to abort.");
            source.Cancel();
        }
    }

    /// <summary>
    /// Removes the handler (Ctrl-C ends the process again). In a rank of a job that
    /// <c>mpiexec.mpich</c> started several times, SIGINT stays ignored until the process ends: the
    /// launcher's second Ctrl-C ends the job, and the job's one Ctrl-C may reach this rank after it
    /// stopped (with the rank that got it first) and left its <c>using</c>.
    /// </summary>
    public void Dispose()
    {
        disposed = true;
        if (!launchedRank)
            registration.Dispose();
    }
}
