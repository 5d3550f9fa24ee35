namespace Pipelines.Torch.Tests;

public class ShapeTests
{
    static Tensor Matrix() => arange(6).view(2, 3); // [[0, 1, 2], [3, 4, 5]]

    [Fact]
    public void View_reshape_and_flatten_keep_row_major_order()
    {
        using var scope = NewDisposeScope();
        var m = Matrix();
        Assert.Equal(new long[] { 3, 2 }, m.view(3, -1).shape);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 5 }, m.view(-1).ToArray<long>());
        var r = m.t().reshape(6);
        Assert.Equal(new long[] { 0, 3, 1, 4, 2, 5 }, r.ToArray<long>());
        var cube = arange(24).view(2, 3, 4);
        Assert.Equal(new long[] { 24 }, cube.flatten().shape);
        Assert.Equal(new long[] { 2, 12 }, cube.flatten(1).shape);
        Assert.Equal(new long[] { 6, 4 }, cube.flatten(0, 1).shape);
        Assert.Equal(new long[] { 3, 2 }, m.view_as(zeros(3, 2)).shape);
        Assert.Equal(new long[] { 3, 2 }, m.reshape_as(zeros(3, 2)).shape);
    }

    [Fact]
    public void A_view_shares_storage_with_its_base()
    {
        using var scope = NewDisposeScope();
        var m = zeros(2, 3);
        m.view(6).narrow(0, 1, 2).fill_(9);
        Assert.Equal(new float[] { 0, 9, 9, 0, 0, 0 }, m.ToArray<float>());
    }

    [Fact]
    public void Squeeze_and_unsqueeze_remove_and_insert_unit_dimensions()
    {
        using var scope = NewDisposeScope();
        var t = zeros(1, 3, 1, 2);
        Assert.Equal(new long[] { 3, 2 }, t.squeeze().shape);
        Assert.Equal(new long[] { 3, 1, 2 }, t.squeeze(0).shape);
        Assert.Equal(new long[] { 1, 3, 1, 2 }, t.squeeze(1).shape);
        Assert.Equal(new long[] { 1, 3, 2 }, t.squeeze(-2).shape);
        var v = arange(3);
        Assert.Equal(new long[] { 1, 3 }, v.unsqueeze(0).shape);
        Assert.Equal(new long[] { 3, 1 }, v.unsqueeze(-1).shape);
        Assert.Equal(new long[] { 0, 1, 2 }, v.unsqueeze(1).ToArray<long>());
    }

    [Fact]
    public void Permute_transpose_and_T_reorder_dimensions()
    {
        using var scope = NewDisposeScope();
        var m = Matrix();
        var mt = m.transpose(0, 1);
        Assert.Equal(new long[] { 3, 2 }, mt.shape);
        Assert.False(mt.is_contiguous());
        Assert.Equal(new long[] { 0, 3, 1, 4, 2, 5 }, mt.contiguous().ToArray<long>());
        Assert.Equal(new long[] { 0, 3, 1, 4, 2, 5 }, m.T.ToArray<long>());
        Assert.Equal(new long[] { 0, 3, 1, 4, 2, 5 }, m.t().ToArray<long>());
        Assert.Equal(new long[] { 3 }, arange(3).t().shape); // PyTorch: t() of a 1-D tensor is itself

        var cube = arange(24).view(2, 3, 4);
        var p = cube.permute(2, 0, 1);
        Assert.Equal(new long[] { 4, 2, 3 }, p.shape);
        Assert.Equal(cube[1][2][3].item<long>(), p[3][1][2].item<long>());
        Assert.Equal(new long[] { 4, 3, 2 }, cube.T.shape);
        Assert.Equal(cube[1][2][3].item<long>(), cube.T[3][2][1].item<long>());
    }

    [Fact]
    public void Size_reports_all_or_one_dimension()
    {
        using var scope = NewDisposeScope();
        var t = zeros(2, 3, 4);
        Assert.Equal(new long[] { 2, 3, 4 }, t.size());
        Assert.Equal(3, t.size(1));
        Assert.Equal(4, t.size(-1));
        Assert.Equal(3, t.dim());
        Assert.Equal(24, t.numel());
    }

    [Fact]
    public void Narrow_select_and_the_indexer_slice()
    {
        using var scope = NewDisposeScope();
        var m = Matrix();
        Assert.Equal(new long[] { 1, 2, 4, 5 }, m.narrow(1, 1, 2).contiguous().ToArray<long>());
        Assert.Equal(new long[] { 1, 4 }, m.select(1, 1).ToArray<long>());
        Assert.Equal(new long[] { 3, 4, 5 }, m[1].ToArray<long>());
        Assert.Equal(new long[] { 3, 4, 5 }, m.select(0, -1).ToArray<long>());
        Assert.Equal(5L, m[1][2].item<long>());
    }

    [Fact]
    public void Index_select_and_gather_pick_by_index()
    {
        using var scope = NewDisposeScope();
        var m = Matrix();
        var rows = m.index_select(0, tensor(new long[] { 1, 0, 1 }));
        Assert.Equal(new long[] { 3, 4, 5, 0, 1, 2, 3, 4, 5 }, rows.ToArray<long>());
        Assert.Equal(new long[] { 2, 0, 5, 3 }, m.index_select(1, tensor(new long[] { 2, 0 })).ToArray<long>());
        var picked = m.gather(1, tensor(new long[] { 2, 0, 1, 1 }, [2, 2]));
        Assert.Equal(new long[] { 2, 2 }, picked.shape);
        Assert.Equal(new long[] { 2, 0, 4, 4 }, picked.ToArray<long>());
    }

    [Fact]
    public void Masked_fill_masked_select_and_where_follow_the_mask()
    {
        using var scope = NewDisposeScope();
        var m = Matrix().to(float32);
        var mask = m > 2.5;
        Assert.Equal(ScalarType.Bool, mask.dtype);
        Assert.Equal(new float[] { 0, 1, 2, -1, -1, -1 }, m.masked_fill(mask, -1).ToArray<float>());
        Assert.Equal(new float[] { 3, 4, 5 }, m.masked_select(mask).ToArray<float>());
        var w = where(mask, m, zeros(1));
        Assert.Equal(new float[] { 0, 0, 0, 3, 4, 5 }, w.ToArray<float>());
        var row = tensor(new[] { true, false, true });
        Assert.Equal(new float[] { 7, 1, 7, 7, 4, 7 }, m.masked_fill(row, 7).ToArray<float>());
    }

    [Fact]
    public void Cat_and_stack_join_along_existing_and_new_dimensions()
    {
        using var scope = NewDisposeScope();
        var a = Matrix();
        var b = Matrix() + 10;
        var rows = cat([a, b]);
        Assert.Equal(new long[] { 4, 3 }, rows.shape);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15 }, rows.ToArray<long>());
        var cols = cat([a, b], 1);
        Assert.Equal(new long[] { 2, 6 }, cols.shape);
        Assert.Equal(new long[] { 0, 1, 2, 10, 11, 12, 3, 4, 5, 13, 14, 15 }, cols.ToArray<long>());
        Assert.Equal(new long[] { 2, 2, 3 }, stack([a, b]).shape);
        var last = stack([a, b], -1);
        Assert.Equal(new long[] { 2, 3, 2 }, last.shape);
        Assert.Equal(new long[] { 0, 10, 1, 11 }, last.flatten().narrow(0, 0, 4).ToArray<long>());

        var many = Enumerable.Range(0, 5000).Select(i => full([1], i, int64)).ToList();
        Assert.Equal(Enumerable.Range(0, 5000).Sum(i => (long)i), cat(many).sum().item<long>());
    }

    [Fact]
    public void Expand_broadcasts_without_copying_and_contiguous_and_clone_copy()
    {
        using var scope = NewDisposeScope();
        var col = tensor(new float[] { 1, 2 }, [2, 1]);
        var e = col.expand(2, 3);
        Assert.Equal(new long[] { 2, 3 }, e.shape);
        Assert.Equal(new float[] { 1, 1, 1, 2, 2, 2 }, e.contiguous().ToArray<float>());
        Assert.Equal(new long[] { 2, 3 }, col.expand(-1, 3).shape);
        Assert.Equal(new long[] { 2, 3 }, col.expand_as(zeros(2, 3)).shape);

        var c = col.clone();
        c.fill_(5);
        Assert.Equal(new float[] { 1, 2 }, col.ToArray<float>());
        var m = zeros(2, 2);
        Assert.True(m.is_contiguous());
        m.contiguous().fill_(3); // already contiguous: the same storage
        Assert.Equal(new float[] { 3, 3, 3, 3 }, m.ToArray<float>());
    }
}
