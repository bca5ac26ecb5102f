"""Draw one official's career and the succession of the posts they held, from ``careers.jsonl``.

    .venv/bin/pip install -e ".[docs]"        # matplotlib
    .venv/bin/cadregraph extract tests/data/careers -o /tmp/careers -q
    .venv/bin/cadregraph timeline /tmp/careers -o /tmp/careers/timeline
    .venv/bin/python docs/timeline.py /tmp/careers/timeline/careers.jsonl 邝立新 docs/timeline.png

Each post is a bar from its first to its last dated sighting, each sighting a marker coloured by its status;
successions of the posts they held (predecessor → successor) are noted along the bottom.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
COLOURS = {"current": "#1f77b4", "appointed": "#2ca02c", "nominated": "#9467bd", "acting": "#ff7f0e",
           "former": "#7f7f7f", "removed": "#d62728"}


def to_date(value: str) -> date:
    """An ISO date of any precision (2019, 2019-05, 2019-05-12) as a date (its first day)."""
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2])


def main(careers_file: Path, person: str, out: Path) -> None:
    import matplotlib  # noqa: PLC0415 - an optional dependency (the docs extra)

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415
    from matplotlib import font_manager  # noqa: PLC0415

    if FONT.exists():
        font_manager.fontManager.addfont(str(FONT))
        plt.rcParams["font.family"] = font_manager.FontProperties(fname=str(FONT)).get_name()
    careers = [json.loads(line) for line in careers_file.read_text(encoding="utf-8").splitlines()]
    career = next(c for c in careers if c["person"] == person)
    posts = [p for p in career["posts"] if p["first_seen"]]
    fig, ax = plt.subplots(figsize=(10, 1.2 + 0.7 * len(posts)))
    for row, post in enumerate(posts):
        y = len(posts) - row
        start, end = to_date(post["first_seen"]), to_date(post["last_seen"])
        ax.plot([start, end], [y, y], color="#c7d7ea", linewidth=10, solid_capstyle="round", zorder=1)
        for seen in post["history"]:
            if seen["as_of"]:
                ax.scatter(to_date(seen["as_of"]), y, s=70, color=COLOURS[seen["status"]], zorder=3,
                           edgecolors="white", linewidths=0.8)
        ax.text(start, y + 0.28, f"{post['unit']} {post['title']}  {post['rank']}", fontsize=9)
    for change in career["succeeded"] + career["succeeded_by"]:
        if change["date"]:
            ax.annotate(f"{change['from']['person']} → {change['to']['person']} ({change['to']['title']})",
                        (to_date(change["date"]), 0.45), fontsize=8, color="#555555", rotation=0)
    for status, colour in COLOURS.items():
        ax.scatter([], [], color=colour, label=status)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9)
    ax.set_yticks([])
    ax.set_ylim(0, len(posts) + 0.9)
    ax.set_title(f"{person}: posts over time (bars: first to last dated sighting; dots: status in each article)",
                 fontsize=10)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    fig.savefig(out, dpi=120)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: docs/timeline.py CAREERS_JSONL PERSON OUT_PNG")
    main(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
