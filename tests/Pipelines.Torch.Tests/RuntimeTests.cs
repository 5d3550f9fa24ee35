namespace Pipelines.Torch.Tests;

// Changes the process-wide thread count, so it runs with nothing beside it.
[Collection(GlobalStateCollection.Name)]
public class RuntimeTests
{
    [Fact]
    public void Set_num_threads_round_trips()
    {
        var original = get_num_threads();
        try
        {
            set_num_threads(1);
            Assert.Equal(1, get_num_threads());
            set_num_threads(3);
            Assert.Equal(3, get_num_threads());
            using var scope = NewDisposeScope();
            Assert.Equal(4096f, ones(64, 64).matmul(ones(64, 64)).sum().item<float>() / 64);
        }
        finally
        {
            set_num_threads(original);
        }
        Assert.Equal(original, get_num_threads());
    }

    [Fact]
    public void Describe_runtime_names_the_blas_library_and_the_thread_count()
    {
        var text = describe_runtime();
        Assert.Contains("libtorch 1.13", text);
        Assert.Matches("BLAS: (OpenBLAS|MKL|reference BLAS|none mapped)", text);
        Assert.Contains($"intra-op threads: {get_num_threads()} of {Environment.ProcessorCount} cores", text);
        Assert.Contains("CUDA: ", text);
    }
}
