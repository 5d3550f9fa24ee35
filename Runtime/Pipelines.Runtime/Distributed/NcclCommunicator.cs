using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Pipelines.Distributed;

/// <summary>
/// An NCCL communicator over the ranks of a <see cref="ProcessGroup"/>, one GPU per rank: rank 0
/// draws NCCL's unique id, MPI broadcasts it, every rank joins. Collectives run on the CUDA null
/// stream, libtorch's default stream, so they are ordered after the backward that filled the
/// buckets and before the kernels that read them, with no host synchronisation.
/// </summary>
internal sealed unsafe class NcclCommunicator : IDisposable
{
    nint comm;

    NcclCommunicator(nint comm) => this.comm = comm;

    /// <summary>Joins every rank of <paramref name="group"/> (a collective: every rank calls it).</summary>
    /// <exception cref="InvalidOperationException">When NCCL's library is missing or a call fails.</exception>
    public static NcclCommunicator Join(ProcessGroup group)
    {
        try
        {
            NcclLibrary.UniqueId id;
            if (group.Rank == 0)
                Check(NcclLibrary.GetUniqueId(&id), "ncclGetUniqueId");
            group.BroadcastBytes(new Span<byte>(id.Bytes, NcclLibrary.UniqueId.Size));
            nint comm;
            Check(NcclLibrary.CommInitRank(&comm, group.WorldSize, id, group.Rank), "ncclCommInitRank");
            return new NcclCommunicator(comm);
        }
        catch (DllNotFoundException e)
        {
            throw new InvalidOperationException(
                $"Data-parallel training on CUDA needs NCCL's {NcclLibrary.Library}, which could not be loaded: CUDA installs of PyTorch carry it in torch/lib (put that folder on LD_LIBRARY_PATH); no Debian package ships it.", e);
        }
    }

    /// <summary>Sums <paramref name="tensor"/> (a contiguous float32 or float64 CUDA tensor) over the ranks, in place.</summary>
    public void AllReduceSum(Tensor tensor)
    {
        var datatype = tensor.dtype switch
        {
            ScalarType.Float32 => NcclLibrary.Float32,
            ScalarType.Float64 => NcclLibrary.Float64,
            _ => throw new ArgumentException($"NCCL all-reduces here take float32 or float64 tensors, not {tensor.dtype}.", nameof(tensor)),
        };
        var address = TensorMemory.Address(tensor);
        Check(NcclLibrary.AllReduce(address, address, (nuint)tensor.numel(), datatype, NcclLibrary.Sum, comm, 0), "ncclAllReduce");
    }

    static void Check(int result, string function)
    {
        if (result != NcclLibrary.Success)
            throw new InvalidOperationException($"{function} failed: {Marshal.PtrToStringUTF8((nint)NcclLibrary.GetErrorString(result))} (NCCL error {result}).");
    }

    public void Dispose()
    {
        if (comm != 0)
            NcclLibrary.CommDestroy(comm);
        comm = 0;
    }
}
