using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Pipelines.Data;

/// <summary>
/// Builds the next batches of a pass on one background thread, at most <c>capacity</c> ahead of
/// the consumer: a ring of slots guarded by one monitor, so handing a batch over allocates nothing.
/// A batch that failed carries its exception to the consumer, which rethrows it on its own thread.
/// Out-of-order requests restart production at the requested batch. Dispose stops and joins the thread.
/// </summary>
internal sealed class Prefetcher : IDisposable
{
    readonly object gate = new();
    readonly Func<int, Batch> produce;
    readonly Action<Batch> release;
    readonly Batch[] slots;
    readonly Exception?[] errors;
    readonly int[] slotIndex;
    readonly bool[] filled;
    readonly Thread thread;
    readonly CancellationToken token;
    readonly CancellationTokenRegistration registration;
    int generation;
    int next;
    int end;
    int expected;
    bool active;
    bool busy;
    bool disposed;

    public Prefetcher(int capacity, Func<int, Batch> produce, Action<Batch> release, CancellationToken token)
    {
        this.produce = produce;
        this.release = release;
        this.token = token;
        slots = new Batch[capacity];
        errors = new Exception?[capacity];
        slotIndex = new int[capacity];
        filled = new bool[capacity];
        thread = new Thread(Run) { IsBackground = true, Name = "Pipelines BatchLoader prefetch" };
        thread.Start();
        registration = token.Register(static s => ((Prefetcher)s!).Wake(), this);
    }

    /// <summary>Whether the producer thread is still running (false once disposed).</summary>
    public bool ThreadAlive => thread.IsAlive;

    /// <summary>Stops producing and discards prefetched batches; returns once no batch is being built, so the caller may change what batches are made of.</summary>
    public void Stop()
    {
        lock (gate)
        {
            StopLocked();
            while (busy)
                Monitor.Wait(gate);
        }
    }

    /// <summary>Starts producing batches <paramref name="first"/> .. <paramref name="count"/> - 1.</summary>
    public void Start(int first, int count)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            StartLocked(first, count);
        }
    }

    /// <summary>Takes batch <paramref name="index"/>, waiting for it if needed; <paramref name="waited"/> is the time spent blocked, in <see cref="Stopwatch"/> ticks.</summary>
    public Batch Take(int index, out long waited)
    {
        waited = 0;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (!active || index != expected)
            {
                StopLocked();
                StartLocked(index, end);
            }
            var slot = index % slots.Length;
            if (!(filled[slot] && slotIndex[slot] == index))
            {
                var started = Stopwatch.GetTimestamp();
                while (!(filled[slot] && slotIndex[slot] == index))
                {
                    token.ThrowIfCancellationRequested();
                    ObjectDisposedException.ThrowIf(disposed, this);
                    Monitor.Wait(gate);
                }
                waited = Stopwatch.GetTimestamp() - started;
            }
            var batch = slots[slot];
            var error = errors[slot];
            slots[slot] = default;
            errors[slot] = null;
            filled[slot] = false;
            expected++;
            Monitor.PulseAll(gate);
            if (error is not null)
            {
                // The next request starts over at the batch it asks for.
                StopLocked();
                ExceptionDispatchInfo.Throw(error);
            }
            return batch;
        }
    }

    void StartLocked(int first, int count)
    {
        generation++;
        next = expected = first;
        end = count;
        active = true;
        Monitor.PulseAll(gate);
    }

    void StopLocked()
    {
        generation++;
        active = false;
        for (var i = 0; i < slots.Length; i++)
        {
            if (filled[i])
                release(slots[i]);
            slots[i] = default;
            errors[i] = null;
            filled[i] = false;
        }
    }

    void Wake()
    {
        lock (gate)
            Monitor.PulseAll(gate);
    }

    void Run()
    {
        while (true)
        {
            int index, taken;
            lock (gate)
            {
                while (!disposed && !(active && next < end && next - expected < slots.Length && !token.IsCancellationRequested))
                    Monitor.Wait(gate);
                if (disposed)
                    return;
                index = next++;
                taken = generation;
                busy = true;
            }
            Batch batch = default;
            Exception? error = null;
            try
            {
                batch = produce(index);
            }
            catch (Exception e)
            {
                error = e;
            }
            lock (gate)
            {
                busy = false;
                if (taken != generation || disposed)
                {
                    if (error is null)
                        release(batch);
                }
                else
                {
                    var slot = index % slots.Length;
                    slots[slot] = batch;
                    errors[slot] = error;
                    slotIndex[slot] = index;
                    filled[slot] = true;
                    if (error is not null)
                        next = end;
                }
                Monitor.PulseAll(gate);
            }
        }
    }

    /// <summary>Stops the thread, waits for it to end and frees the prefetched batches.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
                return;
            disposed = true;
            Monitor.PulseAll(gate);
        }
        thread.Join();
        registration.Dispose();
        lock (gate)
            StopLocked();
    }
}
