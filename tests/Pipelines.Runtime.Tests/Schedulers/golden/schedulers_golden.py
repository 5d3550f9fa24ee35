"""Generates SchedulerGolden.cs: PyTorch 1.13's learning rates for SchedulerTests.

Run with the system interpreter that has torch:  /usr/bin/python3 schedulers_golden.py
Every case builds SGD over two parameter groups (lr 0.1 and 0.02), creates the scheduler (which,
as in PyTorch, sets the step-0 rates), then calls scheduler.step() STEPS times (ReduceLROnPlateau:
step(metric) over METRICS). It records param_groups' lr after construction and after every step.
The momentum cases (OneCycleLR's cycle_momentum) build SGD(momentum=0.9) or Adam over the same
groups instead, record each group's momentum or beta1 beside the rates, and take a real optimizer
step before each scheduler step, on the gradients of LOSS; they record the parameters at the end,
so the cycled momentum is checked where the optimizer uses it.
The JSON is wrapped in a C# raw string so that the test project needs no content-file entry.
"""
import json
import os
import warnings

import torch

warnings.filterwarnings("ignore")
STEPS = 30
METRICS = [1.0, 0.9, 0.95, 0.95, 0.91, 0.9, 0.9, 0.9, 0.9, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.49999, 0.3]

CASES = {
    "step": ("StepLR", dict(step_size=7, gamma=0.5)),
    "multistep": ("MultiStepLR", dict(milestones=[3, 8, 8, 20], gamma=0.3)),
    "exponential": ("ExponentialLR", dict(gamma=0.9)),
    "cosine": ("CosineAnnealingLR", dict(T_max=10, eta_min=0.001)),
    "cosine_no_min": ("CosineAnnealingLR", dict(T_max=7)),
    "linear_warmup": ("LinearLR", dict(start_factor=0.1, end_factor=1.0, total_iters=5)),
    "linear_decay": ("LinearLR", dict(start_factor=1.0, end_factor=0.25, total_iters=12)),
    "onecycle_cos": ("OneCycleLR", dict(max_lr=0.5, total_steps=30, cycle_momentum=False)),
    "onecycle_linear_three_phase": ("OneCycleLR", dict(max_lr=1.0, total_steps=30, pct_start=0.25, anneal_strategy="linear",
                                                      div_factor=10.0, final_div_factor=100.0, three_phase=True, cycle_momentum=False)),
    "onecycle_momentum_sgd": ("OneCycleLR", dict(max_lr=0.5, total_steps=30), "sgd_momentum"),
    "onecycle_beta1_adam": ("OneCycleLR", dict(max_lr=0.5, total_steps=30), "adam"),
    "onecycle_momentum_linear_three_phase": ("OneCycleLR", dict(max_lr=1.0, total_steps=30, pct_start=0.25, anneal_strategy="linear",
                                                               base_momentum=0.8, max_momentum=0.9, three_phase=True), "sgd_momentum"),
    "plateau_min": ("ReduceLROnPlateau", dict(mode="min", factor=0.5, patience=2)),
    "plateau_max_abs_cooldown": ("ReduceLROnPlateau", dict(mode="max", factor=0.1, patience=1, threshold=0.01,
                                                          threshold_mode="abs", cooldown=2, min_lr=0.0005)),
    "plateau_min_rel_threshold": ("ReduceLROnPlateau", dict(mode="min", factor=0.2, patience=0, threshold=0.06)),
}


OPTIMIZERS = {
    "sgd": lambda groups: torch.optim.SGD(groups, lr=0.1),
    "sgd_momentum": lambda groups: torch.optim.SGD(groups, lr=0.1, momentum=0.9),
    "adam": lambda groups: torch.optim.Adam(groups, lr=0.1),
}


def loss(a, b):
    """LOSS: gradients [1, -2] + 2a for a and 0.5 for b."""
    return (a * torch.tensor([1.0, -2.0])).sum() + (a * a).sum() + (b * 0.5).sum()


def momentum(group):
    return group["betas"][0] if "betas" in group else group["momentum"]


def run(kind, kwargs, optimizer):
    a = torch.nn.Parameter(torch.zeros(2))
    b = torch.nn.Parameter(torch.zeros(1))
    opt = OPTIMIZERS[optimizer]([{"params": [a], "lr": 0.1}, {"params": [b], "lr": 0.02}])
    scheduler = getattr(torch.optim.lr_scheduler, kind)(opt, **kwargs)
    cycles = kwargs.get("cycle_momentum", True) and kind == "OneCycleLR"
    lrs = [[g["lr"] for g in opt.param_groups]]
    momentums = [[momentum(g) for g in opt.param_groups]]
    if kind == "ReduceLROnPlateau":
        for m in METRICS:
            scheduler.step(m)
            lrs.append([g["lr"] for g in opt.param_groups])
    else:
        for _ in range(STEPS):
            if cycles:
                opt.zero_grad()
                loss(a, b).backward()
            opt.step()
            scheduler.step()
            lrs.append([g["lr"] for g in opt.param_groups])
            momentums.append([momentum(g) for g in opt.param_groups])
    if not cycles:
        return {"lrs": lrs}
    return {"lrs": lrs, "momentums": momentums, "params": [a.tolist(), b.tolist()]}


cases = {}
for name, (kind, kwargs, *optimizer) in CASES.items():
    optimizer = optimizer[0] if optimizer else "sgd"
    extra = {} if optimizer == "sgd" else {"optimizer": optimizer}
    cases[name] = {"kind": kind, "args": kwargs, **extra, **run(kind, kwargs, optimizer)}
fixture = {"torch": torch.__version__, "metrics": METRICS, "cases": cases}
# One line per case: readable diffs when PyTorch changes a number.
text = "{\n" + ",\n".join(
    [f' "torch": {json.dumps(torch.__version__)}', f' "metrics": {json.dumps(METRICS)}', ' "cases": {']) + "\n"
text += ",\n".join(f"  {json.dumps(name)}: {json.dumps(case)}" for name, case in cases.items()) + "\n }\n}"
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "SchedulerGolden.cs"), "w") as f:
    f.write("// <auto-generated/> by schedulers_golden.py (PyTorch " + torch.__version__ + "); regenerate, do not edit.\n")
    f.write("namespace Pipelines.Runtime.Tests.Schedulers;\n\n")
    f.write("internal static class SchedulerGolden\n{\n")
    f.write('    public const string Json = """\n' + text + '\n""";\n}\n')
