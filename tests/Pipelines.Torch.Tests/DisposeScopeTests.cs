namespace Pipelines.Torch.Tests;

// Counts live native handles, so no other test may create tensors meanwhile.
[Collection(GlobalStateCollection.Name)]
public class DisposeScopeTests
{
    public DisposeScopeTests() => Expect.SettleFinalizers();

    [Fact]
    public void A_scope_disposes_exactly_the_tensors_created_inside_it()
    {
        var before = TensorStatistics.Live;
        var outside = ones(2);
        Tensor a, b;
        using (var scope = NewDisposeScope())
        {
            a = zeros(3);
            b = a + 1;
            _ = b.sum();
            Assert.Equal(3, scope.Count);
            Assert.Equal(before + 4, TensorStatistics.Live);
        }
        Assert.True(a.IsInvalid);
        Assert.True(b.IsInvalid);
        Assert.False(outside.IsInvalid);
        Assert.Equal(before + 1, TensorStatistics.Live);
        outside.Dispose();
        Assert.Equal(before, TensorStatistics.Live);
    }

    [Fact]
    public void Nested_scopes_dispose_their_own_tensors_in_turn()
    {
        var before = TensorStatistics.Live;
        using (var outer = NewDisposeScope())
        {
            var o = ones(2);
            using (var inner = NewDisposeScope())
            {
                var i = o * 2;
                Assert.Equal(1, inner.Count);
                Assert.Equal(1, outer.Count);
                inner.Dispose();
                Assert.True(i.IsInvalid);
            }
            Assert.False(o.IsInvalid);
            Assert.Equal(before + 1, TensorStatistics.Live);
            using (var again = NewDisposeScope())
            {
                _ = o + 1;
                Assert.Equal(before + 2, TensorStatistics.Live);
            }
        }
        Assert.Equal(before, TensorStatistics.Live);
    }

    [Fact]
    public void MoveToOuter_hands_a_tensor_to_the_enclosing_scope()
    {
        var before = TensorStatistics.Live;
        Tensor kept;
        using (var outer = NewDisposeScope())
        {
            using (var inner = NewDisposeScope())
            {
                var temp = ones(2);
                kept = inner.MoveToOuter(temp * 5);
                Assert.Equal(1, inner.Count);
                Assert.Equal(1, outer.Count);
                Assert.Throws<InvalidOperationException>(() => inner.MoveToOuter(kept));
            }
            Assert.Equal(new float[] { 5, 5 }, kept.ToArray<float>());
            Assert.Equal(before + 1, TensorStatistics.Live);
        }
        Assert.True(kept.IsInvalid);
        Assert.Equal(before, TensorStatistics.Live);
    }

    [Fact]
    public void MoveToOuter_from_the_outermost_scope_leaves_the_tensor_to_the_caller()
    {
        var before = TensorStatistics.Live;
        Tensor kept;
        using (var scope = NewDisposeScope())
            kept = scope.MoveToOuter(ones(2));
        Assert.False(kept.IsInvalid);
        Assert.Equal(before + 1, TensorStatistics.Live);
        kept.Dispose();
        Assert.Equal(before, TensorStatistics.Live);
    }

    [Fact]
    public void Detach_takes_a_tensor_out_of_every_scope()
    {
        var before = TensorStatistics.Live;
        Tensor kept;
        using (var outer = NewDisposeScope())
        {
            using (var inner = NewDisposeScope())
            {
                kept = inner.Detach(ones(3));
                Assert.Equal(0, inner.Count);
            }
            Assert.Equal(0, outer.Count);
        }
        Assert.False(kept.IsInvalid);
        // Disposed here, not left to the finalizer: a Debug build keeps the temporary alive to the method's end.
        using (var total = kept.sum())
            Assert.Equal(3f, total.item<float>());
        kept.Dispose();
        GC.KeepAlive(kept);
        Expect.SettleFinalizers();
        Assert.Equal(before, TensorStatistics.Live);
    }

    [Fact]
    public void Tensors_disposed_by_hand_inside_a_scope_are_released_once()
    {
        var before = TensorStatistics.Live;
        using (var scope = NewDisposeScope())
        {
            var a = ones(2);
            a.Dispose();
            a.Dispose();
            Assert.Equal(0, scope.Count);
            Assert.Equal(before, TensorStatistics.Live);
        }
        Assert.Equal(before, TensorStatistics.Live);
    }

    [Fact]
    public void Ending_an_outer_scope_before_an_inner_one_throws_and_changes_nothing()
    {
        var before = TensorStatistics.Live;
        var outer = NewDisposeScope();
        var o = ones(1);
        var inner = NewDisposeScope();
        var i = ones(1);
        Assert.Throws<InvalidOperationException>(() => outer.Dispose());
        Assert.False(o.IsInvalid);
        Assert.False(i.IsInvalid);
        Assert.Equal(1, outer.Count);
        inner.Dispose();
        Assert.True(i.IsInvalid);
        outer.Dispose();
        Assert.True(o.IsInvalid);
        Assert.Equal(before, TensorStatistics.Live);
    }

    [Fact]
    public void Using_a_scope_after_it_ended_throws_even_when_its_frame_is_reused()
    {
        var ended = NewDisposeScope();
        ended.Dispose();
        Assert.Throws<ObjectDisposedException>(() => ended.Count);
        using var scratch = NewDisposeScope(); // reuses the pooled frame of `ended`
        var t = ones(1);
        Assert.Throws<ObjectDisposedException>(() => ended.Count);
        Assert.Throws<ObjectDisposedException>(() => ended.MoveToOuter(t));
        Assert.Throws<ObjectDisposedException>(() => ended.Detach(t));
        Assert.Throws<ObjectDisposedException>(() => default(DisposeScope).Count);
        // A second Dispose of the stale copy must not end the scope that now owns the frame.
        ended.Dispose();
        Assert.False(t.IsInvalid);
        Assert.Equal(1, scratch.Count);
    }

    [Fact]
    public void A_scope_belongs_to_the_thread_that_opened_it()
    {
        var before = TensorStatistics.Live;
        using var scope = NewDisposeScope();
        Tensor? fromOtherThread = null;
        Exception? disposeError = null;
        var copy = scope;
        var thread = new Thread(() =>
        {
            fromOtherThread = ones(1);
            disposeError = Record.Exception(() => copy.Dispose());
        });
        thread.Start();
        thread.Join();
        Assert.Equal(0, scope.Count);
        Assert.IsType<InvalidOperationException>(disposeError);
        fromOtherThread!.Dispose();
        Assert.Equal(before, TensorStatistics.Live);
    }

    [Fact]
    public void Count_follows_additions_moves_and_disposals()
    {
        using var outer = NewDisposeScope();
        using var scope = NewDisposeScope();
        Assert.Equal(0, scope.Count);
        var a = ones(1);
        var b = ones(1);
        var c = ones(1);
        Assert.Equal(3, scope.Count);
        scope.MoveToOuter(a);
        Assert.Equal(2, scope.Count);
        scope.Detach(b).Dispose();
        Assert.Equal(1, scope.Count);
        c.Dispose();
        Assert.Equal(0, scope.Count);
        Assert.Equal(1, outer.Count);
    }
}
