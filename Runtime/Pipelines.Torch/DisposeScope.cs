namespace Pipelines.Torch;

/// <summary>
/// Disposes, when it ends, every tensor created on this thread while it was the innermost open
/// scope, except those moved out (<see cref="MoveToOuter{T}"/>) or detached (<see cref="Detach{T}"/>).
/// Open one with <see cref="torch.NewDisposeScope"/>; scopes nest and must end in reverse order.
/// A struct over pooled per-thread frames, so a scope per iteration allocates nothing.
/// </summary>
public readonly struct DisposeScope : IDisposable
{
    readonly Frame frame;
    readonly int generation;

    DisposeScope(Frame frame)
    {
        this.frame = frame;
        generation = frame.Generation;
    }

    /// <summary>How many tensors this scope will dispose.</summary>
    public int Count => Live().Count;

    /// <summary>Moves a tensor to the enclosing scope (or out of all scopes) and returns it.</summary>
    /// <exception cref="InvalidOperationException">When the tensor does not belong to this scope.</exception>
    public T MoveToOuter<T>(T tensor) where T : Tensor
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var current = Live();
        if (tensor.Scope != current)
            throw new InvalidOperationException("The tensor does not belong to this dispose scope.");
        var outer = current.Depth > 0 ? Stack[current.Depth - 1] : null;
        tensor.Scope = null;
        outer?.Add(tensor);
        return tensor;
    }

    /// <summary>Takes a tensor out of this scope and every other: the caller now owns it and disposes it.</summary>
    public T Detach<T>(T tensor) where T : Tensor
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Live();
        tensor.Scope = null;
        return tensor;
    }

    /// <summary>
    /// Disposes the scope's tensors and closes the scope. A second call does nothing; closing a
    /// scope while a scope opened after it is still open, or from another thread, throws.
    /// </summary>
    public void Dispose()
    {
        if (frame is null || frame.Generation != generation)
            return;
        var open = Stack;
        if (frame.Depth >= open.Count || open[frame.Depth] != frame)
            throw new InvalidOperationException("A dispose scope must end on the thread that opened it.");
        if (open.Count - 1 != frame.Depth)
            throw new InvalidOperationException("Dispose scopes must end in the reverse order they were opened.");
        open.RemoveAt(open.Count - 1);
        try
        {
            frame.DisposeAll();
        }
        finally
        {
            Pool.Push(frame);
        }
    }

    Frame Live()
    {
        if (frame is null || frame.Generation != generation)
            throw new ObjectDisposedException(nameof(DisposeScope), "This dispose scope has already ended.");
        return frame;
    }

    [ThreadStatic] static List<Frame>? stack;
    [ThreadStatic] static Stack<Frame>? pool;

    static List<Frame> Stack => stack ??= new List<Frame>();
    static Stack<Frame> Pool => pool ??= new Stack<Frame>();

    internal static Frame? Current => stack is { Count: > 0 } s ? s[^1] : null;

    internal static DisposeScope Open()
    {
        var frame = Pool.Count > 0 ? Pool.Pop() : new Frame();
        frame.Depth = Stack.Count;
        Stack.Add(frame);
        return new DisposeScope(frame);
    }

    /// <summary>One level of the per-thread stack; reused after its scope ends.</summary>
    internal sealed class Frame
    {
        readonly List<Tensor> tensors = new();
        internal int Depth;
        internal int Generation;

        internal int Count
        {
            get
            {
                var n = 0;
                foreach (var t in tensors)
                    if (t.Scope == this)
                        n++;
                return n;
            }
        }

        internal void Add(Tensor tensor)
        {
            tensor.Scope = this;
            tensors.Add(tensor);
        }

        // The generation moves first, so the scope reads as ended even if a tensor's Dispose throws;
        // every tensor is still released before the first exception propagates.
        internal void DisposeAll()
        {
            Generation++;
            List<Exception>? errors = null;
            foreach (var t in tensors)
            {
                if (t.Scope != this)
                    continue;
                try
                {
                    t.Dispose();
                }
                catch (Exception e)
                {
                    (errors ??= new()).Add(e);
                }
            }
            tensors.Clear();
            if (errors is not null)
                throw new AggregateException("Disposing the tensors of a dispose scope failed.", errors);
        }
    }
}
