"""Fine-tuning: the grammar's labelled tasks, a user's TSV (one class only and unknown test labels
refused), and a classifier that learns from pre-trained or random weights."""
from __future__ import annotations

import lm_tiny
import pytest

from engine.errors import InputError
from engine.tasks.finetune import finetune, labelled_task


def test_grammar_tasks_have_labels_from_the_structures():
    tense = labelled_task("tense")
    assert set(tense.classes) == {"past", "present", "future", "progressive"}
    text, y = next((t, y) for t, y in tense.train if " will " in f" {t} ")
    assert tense.classes[y] == "future"
    topic = labelled_task("topic")
    assert len(topic.classes) > 5 and "royal" in topic.classes


def test_a_tsv_with_one_class_or_unknown_test_labels_is_refused(tmp_path):
    one = tmp_path / "one.tsv"
    one.write_text("".join(f"sentence {i}\tgood\n" for i in range(10)), encoding="utf-8")
    with pytest.raises(InputError, match="only one class"):
        labelled_task(str(one))
    unknown = tmp_path / "unknown.tsv"
    unknown.write_text("".join(f"sentence {i}\t{'odd' if i == 4 else ('a' if i % 2 else 'b')}\n" for i in range(10)),
                       encoding="utf-8")
    with pytest.raises(InputError, match="never seen in training"):
        labelled_task(str(unknown))
    notab = tmp_path / "notab.tsv"
    notab.write_text("just text\n", encoding="utf-8")
    with pytest.raises(InputError, match="no tab"):
        labelled_task(str(notab))


@pytest.mark.parametrize("which", ["bert-mini", "gpt-mini"])
def test_finetuning_learns_a_separable_tsv(which, tmp_path):
    path = tmp_path / "task.tsv"
    rows = [f"the king lives in the castle {i}\troyal" if i % 2 else f"the cow eats the grass {i}\tanimal" for i in range(60)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    model = lm_tiny.load(which, lm_tiny.tiny_bert() if which == "bert-mini" else lm_tiny.tiny_gpt("bpe"))
    before = [p.detach().clone() for p in model.net.parameters()]
    for init in ("pretrained", "scratch"):
        r = finetune(model, str(path), labels=20, seed=0, init=init, steps=30)
        assert r.accuracy == 1.0 and r.labels == 20 and r.init == init and r.classes == ("animal", "royal")
    assert all(a.equal(b) for a, b in zip(before, model.net.parameters()))          # the loaded model is untouched
