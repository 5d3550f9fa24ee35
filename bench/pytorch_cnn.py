"""The sample's CNN step in PyTorch, for bench/pytorch.sh: the same model (bench/sample_cnn.py), optimizer, data
and loop as bench/Pipelines.Bench.Step/SampleCnnLoop.cs, one configuration per process.

    pytorch_cnn.py cnn <threads> <warm-up steps> <timed steps>
    pytorch_cnn.py cnn-epoch <threads> <warm-up steps>      (then one pass: 55,000 images)

The last line is "RESULT <ms per step>", the mean over the timed steps.
"""
import gzip
import os
import sys
import time

import numpy as np
import torch
from torch import nn

from sample_cnn import create_model

DATA = "/usr/share/datasets/fashion-mnist"
IMAGES = 55_000
BATCH_SIZE = 128


def read_idx(path):
    """An unsigned-byte IDX file (gzip-compressed, as Debian ships it) as a uint8 array of its shape."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def main(argv):
    if len(argv) < 3 or argv[0] not in ("cnn", "cnn-epoch") or (argv[0] == "cnn" and len(argv) < 4):
        print(__doc__, file=sys.stderr)
        return 2
    workload, threads, warm_up = argv[0], int(argv[1]), int(argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(0)

    images = torch.from_numpy(read_idx(f"{DATA}/train-images-idx3-ubyte.gz").copy()).float().div_(255).unsqueeze(1)
    labels = torch.from_numpy(read_idx(f"{DATA}/train-labels-idx1-ubyte.gz").astype(np.int64))
    images = ((images - 0.2860) / 0.3530)[:IMAGES].contiguous()
    labels = labels[:IMAGES].contiguous()

    model = create_model(0.1)
    # weight_decay given explicitly: PyTorch's AdamW default is 0.01, TorchSharp's 0.
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    steps_per_epoch = IMAGES // BATCH_SIZE
    state = {"order": torch.randperm(IMAGES), "position": 0}

    def start_epoch():
        state["order"] = torch.randperm(IMAGES)
        state["position"] = 0

    def run(steps):
        model.train()
        for _ in range(steps):
            if state["position"] == steps_per_epoch:
                start_epoch()
            index = state["order"].narrow(0, state["position"] * BATCH_SIZE, BATCH_SIZE)
            state["position"] += 1
            inputs = images.index_select(0, index)
            target = labels.index_select(0, index)
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(inputs), target)
            loss.backward()
            optimizer.step()

    timed = steps_per_epoch if workload == "cnn-epoch" else int(argv[3])
    run(warm_up)
    if workload == "cnn-epoch":
        start_epoch()
    start = time.perf_counter()
    run(timed)
    elapsed = time.perf_counter() - start
    policy = os.environ.get("OMP_WAIT_POLICY", "unset")
    print(f"PyTorch {workload}: {timed} steps in {elapsed:.2f} s, torch {torch.__version__}, "
          f"{torch.get_num_threads()} thread(s), OMP_WAIT_POLICY {policy}")
    print(f"RESULT {elapsed * 1000 / timed:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
