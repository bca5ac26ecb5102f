"""Span-level precision, recall and F1 (exact boundaries and label)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass
class LabelScores:
    """Counts and scores of one label (or of ``micro``)."""

    gold: int = 0
    predicted: int = 0
    correct: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "gold": self.gold, "predicted": self.predicted, "correct": self.correct}


def score_spans(
    gold: Sequence[Iterable[tuple[int, int, str]]],
    predicted: Sequence[Iterable[tuple[int, int, str]]],
    labels: Sequence[str],
) -> dict[str, LabelScores]:
    """Scores per label in ``labels`` plus ``micro``; spans of other labels are ignored on both sides."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold sentences but {len(predicted)} predicted")
    counts: dict[str, Counter[str]] = {label: Counter() for label in labels}
    for gold_spans, predicted_spans in zip(gold, predicted, strict=True):
        g = {s for s in gold_spans if s[2] in counts}
        p = {s for s in predicted_spans if s[2] in counts}
        for span in g:
            counts[span[2]]["gold"] += 1
        for span in p:
            counts[span[2]]["predicted"] += 1
        for span in g & p:
            counts[span[2]]["correct"] += 1
    scores = {label: LabelScores(**c) for label, c in counts.items()}
    fields = ("gold", "predicted", "correct")
    scores["micro"] = LabelScores(*(sum(getattr(s, k) for s in scores.values()) for k in fields))
    return scores


def format_scores(scores: dict[str, LabelScores]) -> list[str]:
    """Report lines: one per label, then the micro average."""
    lines = [f"{'label':<8} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}"]
    for label, s in scores.items():
        lines.append(f"{label:<8} {s.precision:6.4f} {s.recall:6.4f} {s.f1:6.4f} {s.gold:6d}")
    return lines
