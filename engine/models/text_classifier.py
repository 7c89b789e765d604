"""A sentence classifier on a language model's token states: mean-pooled over the tokens, then a
linear layer (fine-tuning, `engine.tasks.finetune` and `engine.tasks.finetune_task`)."""
from __future__ import annotations

import copy

import torch
from torch import nn


class Classifier(nn.Module):
    """Mean-pooled token states of `body` -> a linear layer over the classes."""

    def __init__(self, body: nn.Module, width: int, n_classes: int, causal: bool) -> None:
        super().__init__()
        self.body, self.causal = body, causal
        self.out = nn.Linear(width, n_classes)

    def forward(self, ids: torch.Tensor, keep: torch.Tensor) -> torch.Tensor:
        if self.causal:
            h = self.body(ids, keep, logits=False).last_hidden_state
        else:
            h = self.body(ids, keep).last_hidden_state
        m = keep.unsqueeze(-1).to(h.dtype)
        return self.out((h * m).sum(1) / m.sum(1).clamp(min=1))


def classifier_body(model, init: str) -> tuple[nn.Module, int, bool]:
    """A copy of the loaded model's network without its LM head (re-initialised for "scratch"):
    (body, width, causal)."""
    net = copy.deepcopy(model.net).float().train()
    causal = bool(getattr(model, "causal", False))
    body = net if causal else getattr(net, "bert", net)
    if init == "scratch":
        from engine.models.bert_mini import init_weights

        init_weights(body)
        for m in body.modules():
            if isinstance(m, nn.LayerNorm):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
    return body, int(net.cfg.d_model), causal
