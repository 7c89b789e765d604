"""Translation speed: a 10-word sentence, beam 4, with the shipped Transformer with and without its
key/value cache (same run, same model); and training tokens/s through the trainer against a bare
loop of the same model, data and optimizer (a ratio measured in the same run).

    python benchmarks/translate.py [--model nmt-transformer] [--repeats 20] [--train-steps 40] [--threads 1]

Without the cache every step recomputes the decoder over the whole prefix (engine.decoding.Recompute);
with it only the new position runs. Both give the same beams (checked). The CPU-time figures
(process_time) are the robust ones on a shared machine.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SENTENCE = "the young doctor will read the long letter to her brother tomorrow"


def decode_once(model, text: str, cached: bool):
    import torch

    from engine.data.nmt_tokenizers import BOS, EOS
    from engine.decoding import Recompute, beam_search
    from engine.loaders.translation_decode import encode_sources, max_new_for, step_model

    enc = encode_sources(model.toks, [text], model.device, model.max_tokens)
    if cached:
        lm = step_model(model.net, enc.ids, enc.keep)
    else:
        def logits_of(ids):
            b = ids.shape[0]
            out = model.net(enc.ids.expand(b, -1), enc.keep.expand(b, -1), ids)
            out[..., 0] = out[..., BOS] = float("-inf")
            return out
        lm = Recompute(logits_of)
    with torch.inference_mode():
        return beam_search(lm, [BOS], 4, max_new_for(int(enc.keep.sum())), 1.0, eos=EOS)


def time_decoding(model, repeats: int) -> dict[str, float]:
    out = {}
    for cached in (True, False):
        decode_once(model, SENTENCE, cached)                     # warm-up
        wall, cpu = [], []
        for _ in range(repeats):
            t0, c0 = time.perf_counter(), time.process_time()
            decode_once(model, SENTENCE, cached)
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        key = "cache" if cached else "no_cache"
        out[f"{key}_ms"] = 1000 * statistics.median(wall)
        out[f"{key}_cpu_ms"] = 1000 * statistics.median(cpu)
    a, b = decode_once(model, SENTENCE, True), decode_once(model, SENTENCE, False)
    out["same_beams"] = [h.ids for h in a] == [h.ids for h in b]
    return out


def time_training(steps: int) -> dict[str, float]:
    """Tokens/s (CPU time) of `mlsp train nmt-transformer` on builtin:en-fr-small against a bare loop."""
    import torch

    from engine.training.loop import Callback
    from engine.training.setup import TrainRequest
    from engine.training.trainer import train

    warm = steps // 4
    marks: dict[str, float] = {}
    tokens = {"n": 0}

    class Clock(Callback):
        def on_step_end(self, loop, record):
            if record.step == warm:
                marks["c0"] = time.process_time()
                tokens["n"] = 0
            elif record.step > warm:
                tokens["n"] += record.items
            if record.step == steps:
                marks["c1"] = time.process_time()

    flags = {"steps": steps, "batch_size": 64, "lr": 1e-3, "log_every": 1, "checkpoint_every": 10**9,
             "eval_every": 10**9, "warmup_steps": 1, "precision": "fp32"}
    with tempfile.TemporaryDirectory() as tmp:
        result = train(TrainRequest(model="nmt-transformer", data="builtin:en-fr-small", out=Path(tmp) / "run",
                                    device="cpu", flags=flags, sets=("eval_sentences=1",), progress=False),
                       sinks=[], callbacks=[Clock()])
    trainer_tps = tokens["n"] / (marks["c1"] - marks["c0"])
    del result

    from engine.models.nmt_transformer import NMTTransformerConfig
    from engine.tasks.translation import NMTTransformerTask

    task = NMTTransformerTask(NMTTransformerConfig(eval_sentences=1), "builtin:en-fr-small")
    data = task.dataset()
    torch.manual_seed(0)
    net = task.build_model().train()
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=0.0)
    gen = torch.Generator().manual_seed(0)
    n, c0 = 0, 0.0
    for step in range(1, steps + 1):
        idx = torch.randint(len(data), (64,), generator=gen).tolist()
        batch = task.collate([data[i] for i in idx], gen)
        out = task.loss(net, batch, gen)
        opt.zero_grad(set_to_none=True)
        out.loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        if step == warm:
            c0, n = time.process_time(), 0
        elif step > warm:
            n += out.items
    bare_tps = n / (time.process_time() - c0)
    return {"trainer_tokens_per_s": trainer_tps, "bare_tokens_per_s": bare_tps, "ratio": trainer_tps / bare_tps}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default="nmt-transformer")
    p.add_argument("--repeats", type=int, default=20)
    p.add_argument("--train-steps", type=int, default=40, help="0 skips the training comparison")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--runs", type=int, default=1, help="trainer / bare-loop pairs, one after the other (median ratio)")
    args = p.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    from engine.zoo import load_model

    model = load_model(args.model, "cpu")
    d = time_decoding(model, args.repeats)
    print(f"{args.model}, 10-word sentence, beam 4 (median of {args.repeats}):")
    print(f"  with KV cache    {d['cache_ms']:7.1f} ms wall, {d['cache_cpu_ms']:7.1f} ms CPU")
    print(f"  without cache    {d['no_cache_ms']:7.1f} ms wall, {d['no_cache_cpu_ms']:7.1f} ms CPU")
    print(f"  speed-up {d['no_cache_cpu_ms'] / d['cache_cpu_ms']:.2f}x (CPU time); same beams: {d['same_beams']}")
    if args.train_steps:
        runs = [time_training(args.train_steps) for _ in range(args.runs)]     # trainer, bare, trainer, bare, ...
        for t in runs:
            print(f"training nmt-transformer (CPU time): trainer {t['trainer_tokens_per_s']:.0f} tokens/s, "
                  f"bare loop {t['bare_tokens_per_s']:.0f} tokens/s, ratio {t['ratio']:.3f}")
        ratio = statistics.median(t["ratio"] for t in runs)
        print(f"median ratio of {len(runs)} pair(s): {ratio:.3f} (goal >= 0.95)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
