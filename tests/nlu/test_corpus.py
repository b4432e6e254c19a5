"""The labelled corpus must stay at or above 97 % exactly right (intent, targets, args)."""

from __future__ import annotations

from tests.nlu.evaluate import evaluate

THRESHOLD = 0.97


def test_corpus_accuracy() -> None:
    right, total, per_tag = evaluate()
    assert total >= 860
    assert right / total >= THRESHOLD, f"{right}/{total}; per tag: {per_tag}"
