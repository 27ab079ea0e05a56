"""Print the intent F1 table from `rasa test nlu --cross-validation` results (for the README)."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def table(results: Path) -> str:
    report = json.loads((results / "intent_report.json").read_text())
    rows = ["| intent | precision | recall | F1 | examples |", "|---|---|---|---|---|"]
    for name, figures in sorted(report.items()):
        if not isinstance(figures, dict) or name in ("micro avg", "macro avg", "weighted avg"):
            continue
        rows.append(
            f"| {name} | {figures['precision']:.3f} | {figures['recall']:.3f} | {figures['f1-score']:.3f} | {figures['support']} |"
        )
    for name in ("macro avg", "weighted avg"):
        if name in report:
            figures = report[name]
            rows.append(
                f"| **{name}** | {figures['precision']:.3f} | {figures['recall']:.3f} | **{figures['f1-score']:.3f}** | {figures['support']} |"
            )
    return "\n".join(rows)


if __name__ == "__main__":
    print(table(Path(sys.argv[1] if len(sys.argv) > 1 else "results/nlu")))
