"""The step of bench/Pipelines.Bench.Device in PyTorch eager and in Lightning, for eng/device/run.sh.

The same models (the sample's CNN of bench/sample_cnn.py, which bench/pytorch_cnn.py trains too, and the small
Transformer of Pipelines.Bench.Device/TinyTransformer.cs), AdamW (lr 2e-3, weight decay 1e-4), one prepared
batch on the device repeated at every step (random images or tokens), cross-entropy.

    gpu_steps.py <eager|lightning> <device> <warm-up steps> <rounds> <steps per round> [models] [precisions] [batch sizes]
    defaults: cnn,transformer  fp32,bf16-mixed,bf16-true  32,512

eager: per configuration the warm-up steps, then <rounds> timed runs of <steps per round>, each from a device
synchronisation to the next; steps_per_s is the median over rounds. lightning: one Trainer.fit per configuration
(accelerator gpu or cpu, precision 32-true, bf16-mixed or bf16-true, max_steps = warm-up + rounds x steps), timed
from the first step after the warm-up to the end of fit. One line per configuration:
    RESULT impl=<pytorch-eager|lightning> model=<m> precision=<p> batch=<b> steps_per_s=<v>
A configuration that cannot run here prints "SKIP impl=... reason=..." instead.
"""
import contextlib
import math
import statistics
import sys
import time

import torch
from torch import nn

from sample_cnn import create_model

VOCABULARY, LENGTH, WIDTH, HEADS, LAYERS = 1024, 64, 256, 4, 2


def attention(q, k, v):
    """Causal attention: PyTorch's fused kernel where it has one (2.0 and later), the same arithmetic by hand before."""
    if hasattr(nn.functional, "scaled_dot_product_attention"):
        return nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True)
    length = q.size(-2)
    mask = torch.ones(length, length, dtype=torch.bool, device=q.device).tril()
    scores = (q @ k.transpose(-2, -1)) / math.sqrt(q.size(-1))
    return scores.masked_fill(~mask, float("-inf")).softmax(-1) @ v


class Block(nn.Module):
    """TinyTransformer.Block: x + attention(norm(x)), then x + mlp(norm(x))."""

    def __init__(self):
        super().__init__()
        self.attention_norm = nn.LayerNorm(WIDTH)
        self.qkv = nn.Linear(WIDTH, 3 * WIDTH)
        self.projection = nn.Linear(WIDTH, WIDTH)
        self.mlp_norm = nn.LayerNorm(WIDTH)
        self.up = nn.Linear(WIDTH, 4 * WIDTH)
        self.down = nn.Linear(4 * WIDTH, WIDTH)

    def forward(self, x):
        batch, length = x.size(0), x.size(1)
        q, k, v = self.qkv(self.attention_norm(x)).view(batch, length, 3, HEADS, WIDTH // HEADS).permute(2, 0, 3, 1, 4)
        x = x + self.projection(attention(q, k, v).transpose(1, 2).reshape(batch, length, WIDTH))
        return x + self.down(nn.functional.gelu(self.up(self.mlp_norm(x))))


class TinyTransformer(nn.Module):
    """Pipelines.Bench.Device/TinyTransformer.cs: logits flattened to [batch x length, vocabulary]."""

    def __init__(self):
        super().__init__()
        self.tokens = nn.Embedding(VOCABULARY, WIDTH)
        self.positions = nn.Parameter(torch.randn(LENGTH, WIDTH) * 0.02)
        self.blocks = nn.ModuleList(Block() for _ in range(LAYERS))
        self.norm = nn.LayerNorm(WIDTH)
        self.head = nn.Linear(WIDTH, VOCABULARY)

    def forward(self, x):
        x = self.tokens(x) + self.positions
        for block in self.blocks:
            x = block(x)
        return self.head(self.norm(x)).reshape(-1, VOCABULARY)


def workload(model_name, batch, device, precision):
    """The model (bf16-true: in bf16) and its prepared batch on the device."""
    torch.manual_seed(0)
    if model_name == "cnn":
        model, inputs, target = create_model(0.1), torch.randn(batch, 1, 28, 28), torch.randint(0, 10, (batch,))
    else:
        model = TinyTransformer()
        inputs, target = torch.randint(0, VOCABULARY, (batch, LENGTH)), torch.randint(0, VOCABULARY, (batch * LENGTH,))
    model, inputs, target = model.to(device), inputs.to(device), target.to(device)
    if precision == "bf16-true":
        model = model.to(torch.bfloat16)
        inputs = inputs.to(torch.bfloat16) if inputs.is_floating_point() else inputs
    return model, inputs, target


def optimizer_for(model):
    # weight_decay given explicitly: PyTorch's AdamW default is 0.01, TorchSharp's 0; the sample uses 1e-4.
    return torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def eager(model_name, precision, batch, device, warm_up, rounds, steps):
    model, inputs, target = workload(model_name, batch, device, precision)
    optimizer = optimizer_for(model)
    mixed = precision == "bf16-mixed"

    def run(n):
        model.train()
        for _ in range(n):
            optimizer.zero_grad()
            with torch.autocast(device.type, dtype=torch.bfloat16) if mixed else contextlib.nullcontext():
                loss = nn.functional.cross_entropy(model(inputs), target)
            loss.backward()
            optimizer.step()

    run(warm_up)
    times = []
    for _ in range(rounds):
        synchronize(device)
        start = time.perf_counter()
        run(steps)
        synchronize(device)
        times.append((time.perf_counter() - start) / steps)
    return 1 / statistics.median(times)


def import_lightning():
    """Lightning 2.x as the unified package (lightning.pytorch) or as pytorch_lightning; eager needs neither."""
    try:
        import lightning.pytorch as pl
    except ImportError:
        import pytorch_lightning as pl
    return pl


def lightning(model_name, precision, batch, device, warm_up, rounds, steps):
    pl = import_lightning()

    model, inputs, target = workload(model_name, batch, torch.device("cpu"), "fp32")
    inputs = inputs.to(device)
    target = target.to(device)

    class Module(pl.LightningModule):
        def __init__(self):
            super().__init__()
            self.model = model

        def training_step(self, pair, index):
            x, y = pair
            return nn.functional.cross_entropy(self.model(x), y)

        def configure_optimizers(self):
            return optimizer_for(self)

    class Repeated(torch.utils.data.Dataset):
        """The prepared batch at every index (batch_size=None: no collation, no copy)."""

        def __len__(self):
            return warm_up + rounds * steps

        def __getitem__(self, index):
            return inputs, target

    class Clock(pl.Callback):
        start = end = None

        def on_train_batch_start(self, trainer, module, pair, index):
            if index == warm_up:
                synchronize(device)
                self.start = time.perf_counter()

        def on_train_end(self, trainer, module):
            synchronize(device)
            self.end = time.perf_counter()

    clock = Clock()
    trainer = pl.Trainer(
        accelerator="gpu" if device.type == "cuda" else "cpu", devices=1,
        precision={"fp32": "32-true"}.get(precision, precision), max_steps=warm_up + rounds * steps, max_epochs=1,
        logger=False, enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False,
        num_sanity_val_steps=0, callbacks=[clock])
    loader = torch.utils.data.DataLoader(Repeated(), batch_size=None, shuffle=False, num_workers=0)
    trainer.fit(Module(), loader)
    return rounds * steps / (clock.end - clock.start)


def main(argv):
    if len(argv) < 5 or argv[0] not in ("eager", "lightning"):
        print(__doc__, file=sys.stderr)
        return 2
    impl, device = argv[0], torch.device(argv[1])
    warm_up, rounds, steps = int(argv[2]), int(argv[3]), int(argv[4])
    models = (argv[5] if len(argv) > 5 else "cnn,transformer").split(",")
    precisions = (argv[6] if len(argv) > 6 else "fp32,bf16-mixed,bf16-true").split(",")
    batches = [int(b) for b in (argv[7] if len(argv) > 7 else "32,512").split(",")]
    name = "pytorch-eager" if impl == "eager" else "lightning"
    print(f"PyTorch {torch.__version__}, device {device}"
          + (f" ({torch.cuda.get_device_name(device)})" if device.type == "cuda" else f", {torch.get_num_threads()} threads"), flush=True)
    if impl == "lightning":
        try:
            print(f"Lightning {import_lightning().__version__}", flush=True)
        except ImportError as error:
            for model_name in models:
                for precision in precisions:
                    for batch in batches:
                        print(f"SKIP impl={name} model={model_name} precision={precision} batch={batch} reason=no Lightning here ({error})", flush=True)
            return 0
    run = eager if impl == "eager" else lightning
    for model_name in models:
        for precision in precisions:
            for batch in batches:
                rate = run(model_name, precision, batch, device, warm_up, rounds, steps)
                print(f"RESULT impl={name} model={model_name} precision={precision} batch={batch} steps_per_s={rate:.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
