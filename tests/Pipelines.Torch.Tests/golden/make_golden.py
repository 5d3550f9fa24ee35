"""Golden values for the nn tests, computed by PyTorch.

Regenerate (from the repository root) with PyTorch 1.13, the version of Debian's libtorch:

    /usr/bin/python3 tests/Pipelines.Torch.Tests/golden/make_golden.py

It rewrites functional.json and networks.json next to this script; the test project copies
them to its output folder. Every tensor is {"shape": [...], "data": [...]} in row-major order;
inputs, weights and expected outputs all come from here, so the C# side computes on exactly
the same numbers. The seed makes the files reproducible.
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(1234)
HERE = os.path.dirname(os.path.abspath(__file__))


def t(x):
    x = x.detach()
    if x.dtype in (torch.float16, torch.bfloat16):
        x = x.float()
    data = x.reshape(-1).tolist()
    return {"shape": list(x.shape), "data": data}


def randn(*shape):
    return torch.randn(*shape)


def reductions(fn):
    return {r: t(fn(r)) for r in ("none", "mean", "sum")}


def functional():
    c = {}
    x, w, b = randn(3, 4), randn(5, 4), randn(5)
    c["linear"] = {"x": t(x), "w": t(w), "b": t(b), "out": t(F.linear(x, w, b)), "out_nobias": t(F.linear(x, w))}

    x, w, b = randn(2, 3, 10), randn(4, 3, 3), randn(4)
    c["conv1d"] = {"x": t(x), "w": t(w), "b": t(b), "out": t(F.conv1d(x, w, b, stride=2, padding=1, dilation=2))}

    x, w, b = randn(2, 3, 7, 7), randn(6, 1, 3, 3), randn(6)
    c["conv2d"] = {"x": t(x), "w": t(w), "b": t(b),
                   "out": t(F.conv2d(x, w, b, stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=3))}

    x = randn(2, 3, 7, 7)
    c["pool2d"] = {"x": t(x),
                   "max": t(F.max_pool2d(x, 3, stride=2, padding=1)),
                   "max_ceil": t(F.max_pool2d(x, (3, 2), stride=(2, 2), ceil_mode=True)),
                   "avg": t(F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False)),
                   "avg_divisor": t(F.avg_pool2d(x, 2, divisor_override=3)),
                   "adaptive": t(F.adaptive_avg_pool2d(x, (3, 2)))}

    x, rm, rv, w, b = randn(4, 3, 5), randn(3), torch.rand(3) + 0.5, randn(3), randn(3)
    rm_t, rv_t = rm.clone(), rv.clone()
    train_out = F.batch_norm(x, rm_t, rv_t, w, b, training=True, momentum=0.2, eps=1e-3)
    c["batch_norm"] = {"x": t(x), "rm": t(rm), "rv": t(rv), "w": t(w), "b": t(b),
                       "train_out": t(train_out), "rm_after": t(rm_t), "rv_after": t(rv_t),
                       "eval_out": t(F.batch_norm(x, rm, rv, w, b, training=False, eps=1e-3))}

    x, w, b = randn(2, 3, 4), randn(3, 4), randn(3, 4)
    c["layer_norm"] = {"x": t(x), "w": t(w), "b": t(b), "out": t(F.layer_norm(x, [3, 4], w, b, eps=1e-4)),
                       "out_plain": t(F.layer_norm(x, [4]))}

    w = randn(10, 4).requires_grad_()
    idx = torch.tensor([[1, 2, 0], [9, 0, 3]])
    out = F.embedding(idx, w, padding_idx=0)
    out.sum().backward()
    c["embedding"] = {"w": t(w), "idx": t(idx), "out": t(out), "grad": t(w.grad)}

    x = randn(3, 5) * 2
    c["activations"] = {"x": t(x), "relu": t(F.relu(x)), "gelu": t(F.gelu(x)), "gelu_tanh": t(F.gelu(x, approximate="tanh")),
                        "silu": t(F.silu(x)), "tanh": t(torch.tanh(x)), "sigmoid": t(torch.sigmoid(x)),
                        "softmax": t(F.softmax(x, dim=1)), "log_softmax": t(F.log_softmax(x, dim=0))}

    labels = torch.tensor([0, 2, 1, 3])
    c["one_hot"] = {"x": t(labels), "out": t(F.one_hot(labels, 5))}

    x = randn(1, 2, 3, 4)
    c["pad"] = {"x": t(x), "constant": t(F.pad(x, (1, 2, 2, 1), value=0.5)), "reflect": t(F.pad(x, (1, 2, 2, 1), mode="reflect")),
                "replicate": t(F.pad(x, (1, 2, 2, 1), mode="replicate")), "circular": t(F.pad(x, (1, 2, 2, 1), mode="circular"))}

    logits, target, weight = randn(5, 4), torch.tensor([0, 3, 1, 1, 2]), torch.rand(4) + 0.5
    probs = F.softmax(randn(5, 4), dim=1)
    logits3, target3 = randn(2, 4, 3), torch.tensor([[0, 1, 3], [2, 2, 1]])
    c["cross_entropy"] = {
        "x": t(logits), "target": t(target), "weight": t(weight), "probs": t(probs), "x3": t(logits3), "target3": t(target3),
        "plain": reductions(lambda r: F.cross_entropy(logits, target, reduction=r)),
        "weighted": reductions(lambda r: F.cross_entropy(logits, target, weight=weight, reduction=r)),
        "ignore": reductions(lambda r: F.cross_entropy(logits, target, weight=weight, ignore_index=1, reduction=r)),
        "smooth": reductions(lambda r: F.cross_entropy(logits, target, weight=weight, label_smoothing=0.1, reduction=r)),
        "probabilities": reductions(lambda r: F.cross_entropy(logits, probs, reduction=r)),
        "probabilities_smooth": reductions(lambda r: F.cross_entropy(logits, probs, label_smoothing=0.2, reduction=r)),
        "kdim": reductions(lambda r: F.cross_entropy(logits3, target3, reduction=r)),
    }
    logp = F.log_softmax(logits, dim=1)
    c["nll_loss"] = {"x": t(logp), "target": t(target), "weight": t(weight),
                     "plain": reductions(lambda r: F.nll_loss(logp, target, reduction=r)),
                     "weighted_ignore": reductions(lambda r: F.nll_loss(logp, target, weight=weight, ignore_index=3, reduction=r))}

    a, y = randn(3, 4), randn(3, 4)
    c["regression"] = {"x": t(a), "y": t(y),
                       "mse": reductions(lambda r: F.mse_loss(a, y, reduction=r)),
                       "l1": reductions(lambda r: F.l1_loss(a, y, reduction=r)),
                       "smooth_l1": reductions(lambda r: F.smooth_l1_loss(a, y, reduction=r)),
                       "smooth_l1_beta": reductions(lambda r: F.smooth_l1_loss(a, y, reduction=r, beta=0.5))}

    z, yb, wb, pw = randn(3, 4), torch.randint(0, 2, (3, 4)).float(), torch.rand(4) + 0.5, torch.rand(4) * 3
    p = torch.sigmoid(z)
    c["binary"] = {"logits": t(z), "p": t(p), "y": t(yb), "weight": t(wb), "pos_weight": t(pw),
                   "bce": reductions(lambda r: F.binary_cross_entropy(p, yb, reduction=r)),
                   "bce_weighted": reductions(lambda r: F.binary_cross_entropy(p, yb, weight=wb, reduction=r)),
                   "logits_plain": reductions(lambda r: F.binary_cross_entropy_with_logits(z, yb, reduction=r)),
                   "logits_weighted": reductions(lambda r: F.binary_cross_entropy_with_logits(z, yb, weight=wb, pos_weight=pw, reduction=r))}
    return c


def state(module):
    return {k: t(v) for k, v in module.state_dict().items()}


def grads(module):
    return {k: t(p.grad) for k, p in module.named_parameters()}


def networks():
    c = {}
    mlp = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    x, y = randn(6, 4), torch.tensor([0, 2, 1, 1, 0, 2])
    loss = F.cross_entropy(mlp(x), y)
    loss.backward()
    c["mlp"] = {"state": state(mlp), "keys": list(mlp.state_dict().keys()), "x": t(x), "y": t(y), "loss": loss.item(), "grads": grads(mlp)}

    cnn = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 3 * 3, 5))
    with torch.no_grad():  # non-trivial starting statistics, so the momentum update shows
        cnn[1].running_mean.uniform_(-0.5, 0.5)
        cnn[1].running_var.uniform_(0.5, 1.5)
        cnn[1].weight.uniform_(0.5, 1.5)
        cnn[1].bias.uniform_(-0.5, 0.5)
    before = state(cnn)
    x, y = randn(3, 1, 6, 6), torch.tensor([4, 0, 2])
    loss = F.cross_entropy(cnn(x), y)
    loss.backward()
    cnn.eval()
    with torch.no_grad():
        eval_out = cnn(x)
    c["cnn"] = {"state": before, "keys": list(cnn.state_dict().keys()), "x": t(x), "y": t(y), "loss": loss.item(), "grads": grads(cnn),
                "state_after": state(cnn), "eval_out": t(eval_out)}

    lstm = nn.LSTM(3, 4, num_layers=2, bidirectional=True, batch_first=True)
    x = randn(2, 5, 3)
    h0, c0 = randn(4, 2, 4), randn(4, 2, 4)
    out, (hn, cn) = lstm(x, (h0, c0))
    (out.pow(2).sum() + hn.sum() + cn.mean()).backward()
    out_zero, (hn_zero, cn_zero) = lstm(x)
    c["lstm"] = {"state": state(lstm), "keys": list(lstm.state_dict().keys()), "x": t(x), "h0": t(h0), "c0": t(c0),
                 "out": t(out), "hn": t(hn), "cn": t(cn), "grads": grads(lstm),
                 "out_zero": t(out_zero), "hn_zero": t(hn_zero), "cn_zero": t(cn_zero)}

    gru = nn.GRU(3, 5, num_layers=2)
    x, h0 = randn(4, 2, 3), randn(2, 2, 5)
    out, hn = gru(x, h0)
    out.sum().backward()
    xu = randn(4, 3)
    out_u, hn_u = gru(xu)
    c["gru"] = {"state": state(gru), "keys": list(gru.state_dict().keys()), "x": t(x), "h0": t(h0), "out": t(out), "hn": t(hn),
                "grads": grads(gru), "x_unbatched": t(xu), "out_unbatched": t(out_u), "hn_unbatched": t(hn_u)}
    return c


for name, build in (("functional", functional), ("networks", networks)):
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(build(), f, indent=None, separators=(",", ":"))
        f.write("\n")
print("torch", torch.__version__, "-> golden files written to", HERE)
