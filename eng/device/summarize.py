"""Turns eng/device/run.sh's results.txt into the Markdown table of summary.md (standard library only).

One row per model, precision and batch size; steps per second for each implementation; the ratios that say what
Pipelines' generated loop costs: against the hand-written TorchSharp loop (measured alternately in one process),
against PyTorch eager and against Lightning (each measured in its own process, one after the other), all as time
per step of the generated loop over the other's.
"""
import sys

IMPLS = ["pipelines-generated", "torchsharp-hand", "pytorch-eager", "lightning"]


def fields(line):
    kind, _, rest = line.partition(" ")
    if kind == "SKIP":
        head, _, reason = rest.partition(" reason=")
        values = dict(item.split("=", 1) for item in head.split())
        values["reason"] = reason
    else:
        values = dict(item.split("=", 1) for item in rest.split())
    return kind, values


def time_ratio(generated_rate, other_rate):
    """Time per step of the generated loop over the other's: below 1, the generated loop is the faster."""
    return f"{other_rate / generated_rate:.3f}" if generated_rate and other_rate else "-"


def main(path):
    rows, skips, samples = {}, [], []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            kind, values = fields(line)
            if kind == "SAMPLE":
                samples.append(values)
                continue
            key = (values["model"], values["precision"], int(values["batch"]))
            if kind == "SKIP":
                skips.append((values["impl"], key, values["reason"]))
                continue
            row = rows.setdefault(key, {})
            row[values["impl"]] = float(values["steps_per_s"])
            if "ratio" in values:
                row["paired"] = values["ratio"]
    for values in samples:
        print(f"Sample on {values['device']}: test accuracy {values['accuracy']} after {values['epochs']} epoch(s), "
              f"{values['seconds']} s ({values['s_per_epoch']} s per epoch, validation included).\n")
    print("| model | precision | batch | " + " | ".join(f"{impl} (steps/s)" for impl in IMPLS)
          + " | generated / hand-written (paired rounds) | generated / eager | generated / Lightning |")
    print("| --- | --- | ---: |" + " ---: |" * (len(IMPLS) + 3))
    for (model, precision, batch), row in sorted(rows.items()):
        rates = [f"{row[impl]:.2f}" if impl in row else "-" for impl in IMPLS]
        generated = row.get("pipelines-generated")
        print(f"| {model} | {precision} | {batch} | " + " | ".join(rates)
              + f" | {row.get('paired', '-')} | {time_ratio(generated, row.get('pytorch-eager'))} | {time_ratio(generated, row.get('lightning'))} |")
    print("\nRatios are of time per step, the generated loop's over the other's (bench/README.md's convention): below 1, "
          "Pipelines' generated loop is the faster. '-': not measured (bf16-mixed in .NET needs autocast, which "
          "TorchSharp lacks until issue 19; other gaps: see the skips).")
    if skips:
        print("\nSkipped:")
        for impl, (model, precision, batch), reason in skips:
            print(f"- {impl} {model} {precision} batch {batch}: {reason}")


if __name__ == "__main__":
    main(sys.argv[1])
