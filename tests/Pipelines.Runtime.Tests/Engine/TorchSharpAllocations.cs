using TorchSharp.Modules;

namespace Pipelines.Runtime.Tests.Engine;

/// <summary>
/// The managed bytes that TorchSharp's own calls allocate, measured the way the engine tests
/// measure a run. TorchSharp allocates on some calls the engine must make (a dispose scope per
/// iteration, <c>autograd.backward</c> with a gradient, <c>clip_grad_norm_</c>); the engine's
/// tests compare against these so that what they pin is the engine's own allocation: none.
/// </summary>
internal static class TorchSharpAllocations
{
    /// <summary>Bytes that 1,000 runs of <paramref name="iteration"/> allocate on this thread, after a warm-up.</summary>
    public static long Per1000(Action iteration)
    {
        for (var i = 0; i < 100; i++)
            iteration();
        var start = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
            iteration();
        return GC.GetAllocatedBytesForCurrentThread() - start;
    }

    /// <summary>
    /// What the generated loop's TorchSharp calls cost per 1,000 iterations of a step that returns a
    /// ready loss over a model with no parameters: one dispose scope and a backward (with the
    /// accumulation scale as its gradient when accumulating), and a norm clip when clipping.
    /// </summary>
    public static long LoopPer1000(bool clip, int accumulate)
    {
        using var loss = torch.zeros([]).requires_grad_();
        using var scale = torch.full_like(loss, 1.0 / accumulate);
        var parameters = Array.Empty<Parameter>();
        return Per1000(() =>
        {
            using var scope = torch.NewDisposeScope();
            if (accumulate == 1)
                loss.backward();
            else
                torch.autograd.backward(loss, scale);
            if (clip)
                nn.utils.clip_grad_norm_(parameters, 1.0);
        });
    }
}
