"""Generates optim_golden.json: PyTorch 1.13's optimizer trajectories for OptimizerTests.

Run with the system interpreter that has torch:  /usr/bin/python3 optim_golden.py
Each case starts from the same two float32 parameters, applies the same fixed gradients for
three steps (with foreach=False, the single-tensor path the binding mirrors) and records the
parameters after every step. Values are written as float32 converted to double, which JSON
round-trips exactly.
"""
import json
import os

import torch

INITIAL = [
    [[0.5, -1.25, 2.0], [0.75, -0.1, 1.5]],
    [0.3, -0.7],
]
GRADS = [  # per step, per parameter
    [[[0.1, -0.2, 0.3], [-0.4, 0.5, -0.6]], [0.05, -0.15]],
    [[[-0.3, 0.1, 0.2], [0.6, -0.2, 0.1]], [-0.25, 0.35]],
    [[[0.2, 0.4, -0.1], [0.0, 0.3, -0.5]], [0.45, 0.1]],
]

CASES = {
    "sgd": ("SGD", dict(lr=0.1)),
    "sgd_momentum": ("SGD", dict(lr=0.1, momentum=0.9)),
    "sgd_nesterov_wd": ("SGD", dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.01)),
    "sgd_dampening_maximize": ("SGD", dict(lr=0.1, momentum=0.5, dampening=0.3, maximize=True)),
    "adam": ("Adam", dict(lr=0.01)),
    "adam_wd_amsgrad": ("Adam", dict(lr=0.02, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.1, amsgrad=True)),
    "adamw": ("AdamW", dict(lr=0.01)),
    "adamw_amsgrad": ("AdamW", dict(lr=0.03, weight_decay=0.05, amsgrad=True)),
    "rmsprop": ("RMSprop", dict(lr=0.01)),
    "rmsprop_centered_momentum": ("RMSprop", dict(lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.02)),
    "adagrad": ("Adagrad", dict(lr=0.1)),
    "adagrad_decay": ("Adagrad", dict(lr=0.1, lr_decay=0.05, weight_decay=0.01, initial_accumulator_value=0.1)),
}


def run(name, kwargs):
    params = [torch.tensor(v, dtype=torch.float32, requires_grad=True) for v in INITIAL]
    opt = getattr(torch.optim, name)(params, foreach=False, **kwargs)
    trajectory = []
    for grads in GRADS:
        for p, g in zip(params, grads):
            p.grad = torch.tensor(g, dtype=torch.float32)
        opt.step()
        trajectory.append([p.detach().flatten().tolist() for p in params])
    return trajectory


def main():
    out = {
        "torch_version": torch.__version__,
        "initial": INITIAL,
        "grads": GRADS,
        "cases": {key: {"optimizer": name, "kwargs": {k: list(v) if isinstance(v, tuple) else v for k, v in kw.items()},
                        "after_steps": run(name, kw)} for key, (name, kw) in CASES.items()},
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optim_golden.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
