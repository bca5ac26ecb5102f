"""The posts of a document's position relations: each title with its status, date and rank.

Read when the document is emitted, from where each title was read (its chain and its sentence), the
document's date and the unit's level. A relation joins the titles one person holds in one unit
(市委委员、常委、副书记、市长候选人); each title is a :class:`~pipeline.schema.Post`, and the relation's own
``status``, ``as_of`` and ``rank`` sum them up: the strongest status (:data:`.status.PRECEDENCE`), the date
of the post that has it, the highest rank.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from ..doc import EntityCluster, mentions, sentence_bounds, text_of
from ..ner.title_grammar import load_title_grammar
from ..schema import Post
from .dates import as_of, document_date, stated_date
from .ranks import load_rank_table
from .status import read_status, strongest

POSITIONS = ("SECRETARY_OF", "HOLDS_POSITION")


class PostReader:
    """Reads the posts of the position relations of one document.

    Args:
        doc: the processed document.
        clusters: its entities (the unit of a post gives its level).
        metadata_date: the document's publication date from its metadata, if any.
    """

    def __init__(self, doc: Doc, clusters: Sequence[EntityCluster], metadata_date: str | None):
        self.doc = doc
        self.text = text_of(doc)
        self.clusters = clusters
        self.date = document_date(metadata_date, self.text)
        self.masked = [(m.start_char, m.end_char) for m in mentions(doc)]
        self.grammar = load_title_grammar()
        self.ranks = load_rank_table()

    def fields(self, label: str, tail: int, title: str | None, readings: Sequence[tuple[str, tuple[int, int, int]]]
               ) -> dict:
        """``status``, ``as_of``, ``rank`` and ``posts`` of a position relation to the entity ``tail``.

        ``readings`` are (title, (chain start, title start, title end)) for each time a title was read; a
        title read nowhere (none known) is current as of the document's date.
        """
        if label not in POSITIONS:
            return {}
        posts = []
        for written in (title or "").split("、") if title else []:
            found = [span for t, span in readings if t == written]
            posts.append(self.post(written, tail, found))
        if not posts:
            return {"status": "current", "as_of": self.date, "posts": []}
        status = strongest(p.status for p in posts)
        ranked = [p.rank for p in posts if p.rank]
        return {"status": status, "as_of": next(p.as_of for p in posts if p.status == status),
                "rank": min(ranked, key=self.ranks.order.index) if ranked else None, "posts": posts}

    def post(self, written: str, tail: int, spans: Sequence[tuple[int, int, int]]) -> Post:
        """One title: its status over every reading of it, the date written with it, its rank."""
        parsed = self.grammar.parse(written)
        modifier, level = (parsed.modifier, parsed.level) if parsed else ("", "")
        readings = []
        for chain_start, title_start, _ in spans:
            sentence_start, _ = sentence_bounds(self.doc, title_start)
            status = read_status(self.text, sentence_start, chain_start, written, modifier, self.masked, level=level)
            readings.append((status, stated_date(self.text, sentence_start, chain_start, self.date)))
        status = strongest(s for s, _ in readings) if readings else "current"
        stated = next((d for s, d in readings if s == status and d), None)
        unit = self.clusters[tail]
        rank = self.ranks.rank(parsed, unit.level, unit.code, unit.parents) if parsed and unit.label == "PLACE" \
            else None
        return Post(title=written, status=status, as_of=as_of(stated, self.date), rank=rank)
