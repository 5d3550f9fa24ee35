using Pipelines.Torch.Native;

namespace Pipelines.Torch;

public partial class Tensor
{
    /// <summary>Whether autograd records operations on this tensor.</summary>
    public bool requires_grad
    {
        get
        {
            LibTorch.Check(LibTorch.pt_requires_grad(Handle, out var result));
            return result;
        }
        set => LibTorch.Check(LibTorch.pt_set_requires_grad(Handle, value));
    }

    /// <summary>Sets <see cref="requires_grad"/> in place and returns this tensor.</summary>
    public Tensor requires_grad_(bool value = true)
    {
        requires_grad = value;
        return this;
    }

    /// <summary>Whether the tensor is a leaf of the autograd graph (created by the user, not by an op).</summary>
    public bool is_leaf
    {
        get
        {
            LibTorch.Check(LibTorch.pt_is_leaf(Handle, out var result));
            return result;
        }
    }

    /// <summary>
    /// The accumulated gradient, or null before the first backward. Each read returns a new
    /// handle to the same gradient (dispose it, or read it inside a dispose scope).
    /// </summary>
    public Tensor? grad
    {
        get
        {
            LibTorch.Check(LibTorch.pt_grad(Handle, out var r));
            return WrapOptional(r);
        }
        set
        {
            LibTorch.Check(LibTorch.pt_set_grad(Handle, RawOrNull(value)));
            GC.KeepAlive(value);
        }
    }

    /// <summary>Computes gradients of this (scalar) tensor with respect to the graph's leaves.</summary>
    public void backward(Tensor? gradient = null, bool retain_graph = false, bool create_graph = false)
    {
        LibTorch.Check(LibTorch.pt_backward(Handle, RawOrNull(gradient), retain_graph, create_graph));
        GC.KeepAlive(gradient);
    }

    /// <summary>A tensor sharing this one's data, detached from the autograd graph.</summary>
    public Tensor detach() => Call(LibTorch.pt_detach(Handle, out var r), r);

    /// <summary>Detaches this tensor from the graph in place.</summary>
    public Tensor detach_()
    {
        LibTorch.Check(LibTorch.pt_detach_(Handle));
        return this;
    }
}
