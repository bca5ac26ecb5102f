"""The boundary table: words that cannot be part of an organisation or place name, from People's Daily 1998.

A word of Han characters enters the table when the PKU-tagged corpus shows it
at least ``min_count`` times and at least ``min_function_share`` of its tags are
function classes (verb, adverb, preposition, conjunction, particle, pronoun,
time word, localizer, numeral, measure word, modal, interjection; see
:data:`FUNCTION_TAGS`); verbal nouns (vn: 管理, 服务, 执法) do not count as verbs.
A single character must also stand alone in at least ``min_standalone_share``
of its occurrences (的, 在, 到; not 住 of 住房). Names keep a word out: seen
``max_in_name`` times inside ``[...]nt``/``[...]ns`` compounds or tagged
nt/ns/nz (发展, 建设, 驻, 和); for longer words, inside ``max_annotated_names``
ORG/PLACE names of MSRA train or CLUENER train (统计局, 疾病预防控制中心), or
the whole name of ``max_division_names`` villages, communities or townships of
the division lists (前进村, 富民社区).

The name words are corpus words of two or more characters that contain a table
word without being one (人才, 数据, 就业): the matcher takes them whole.
Thresholds are checked with :func:`score_left_edges` on a seeded dev slice of
MSRA train (held out of the name evidence) and by keeping bureau and company
names such as 市场监督管理局 whole; the output is deterministic.
"""

from __future__ import annotations

import csv
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..ner.tagger.bio import bio_to_spans
from ..ner.boundaries import COMMON_NOUN_FILE, IDIOM_FILE, NAME_FILE, SURNAME_WORD_FILE, NonNameWords
from ..ner.names import surname_of
from ..lexicon import HAN
from ..ner.orgs import load_org_heads
from .corpora import CorpusError, Segmented, Tagged, open_text, read_bio, read_cluener, read_peoples_daily

PEOPLES_DAILY = "peoples_daily_1998/199801.utf8.txt.xz"
CLUENER_TRAIN = "cluener2020/train.json"
DIVISION_SOURCES = ("admin_divisions/villages.csv.xz", "admin_divisions/streets.csv")
MSRA_TRAIN = "msra/msra_train_bio.txt.xz"
DEV_SHARE, DEV_SEED = 0.05, 1234  # the dev slice of MSRA train that checks the table
# PKU tags of words that do not name things: verbs, adverbs, prepositions, conjunctions, particles,
# pronouns, time words, localizers, numerals, measure words, modals, interjections, onomatopoeia,
# their morpheme tags (Vg, Dg ...), and verbs or adjectives used as adverbs (vd, ad).
FUNCTION_TAGS = frozenset("v d p c u r t f m q y e o Vg Dg Tg Rg Mg Qg vd ad".split())
NAME_TAGS = frozenset({"nt", "ns", "nz"})
PERSON_TAGS = frozenset({"nr"})
IDIOM_TAGS = frozenset({"i"})
COMMON_NOUN_TAGS = frozenset({"n", "vn", "an", "b", "f", "s", "Ng"})
NAME_LIKE_TAGS = frozenset({"nr", "ns", "nt", "nz", "nx", "j"})
NAME_COMPOUNDS = frozenset({"nt", "ns"})
_WORD = re.compile(f"[{HAN}]+")
_NAME_CHAR = re.compile(f"[{HAN}A-Za-z0-9·()（）]")
_DIVISION_SUFFIX = re.compile(r"(社区居民委员会|社区居委会|村民委员会|居民委员会|村委会|居委会|委员会|社区|村|嘎查|"
                              r"街道办事处|街道|民族乡|镇|乡|苏木)$")


@dataclass
class BoundaryTableConfig:
    """Thresholds; the defaults rebuild the shipped table."""

    min_count: int = 5
    min_function_share: float = 0.8
    max_in_name: int = 3  # corpus name occurrences that keep a word out
    max_annotated_names: int = 1  # annotated ORG/PLACE names (MSRA, CLUENER) that keep a longer word out
    max_division_names: int = 10  # villages, communities, townships so named that keep a word out
    min_standalone_share: float = 0.4  # single characters only
    name_word_min_count: int = 2


@dataclass
class WordStats:
    """Counts of the corpus words: tags, occurrences inside names, characters."""

    tags: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    in_name: Counter = field(default_factory=Counter)
    chars: Counter = field(default_factory=Counter)  # every occurrence of a character, alone or in a word

    def add(self, sentence: Segmented) -> None:
        inside: set[int] = set()
        for first, end, label in sentence.compounds:
            if label in NAME_COMPOUNDS:
                inside.update(range(first, end))
        for i, (word, tag) in enumerate(zip(sentence.words, sentence.pos, strict=True)):
            self.tags[word][tag] += 1
            self.chars.update(word)
            if i in inside or tag in NAME_TAGS:
                self.in_name[word] += 1

    def count(self, word: str) -> int:
        return sum(self.tags[word].values()) if word in self.tags else 0

    def function_share(self, word: str) -> float:
        tags = self.tags[word]
        return sum(n for tag, n in tags.items() if tag in FUNCTION_TAGS) / sum(tags.values())


@dataclass
class BoundaryTable:
    """The table, its name words, and what was measured."""

    words: list[str]
    name_words: list[str]
    config: dict
    sentences: int
    annotated_names: int
    division_names: int
    surname_words: list[str] = field(default_factory=list)
    common_nouns: list[str] = field(default_factory=list)
    idioms: list[str] = field(default_factory=list)
    left_edges: dict[str, int] = field(default_factory=dict)


def word_stats(sentences: Iterable[Segmented]) -> tuple[WordStats, int]:
    stats, n = WordStats(), 0
    for sentence in sentences:
        stats.add(sentence)
        n += 1
    return stats, n


def annotated_names(sentences: Iterable[Tagged]) -> set[str]:
    """Distinct ORG and PLACE names of labelled sentences."""
    return {s.text[start:end] for s in sentences for start, end, label in bio_to_spans(s.tags)
            if label in ("ORG", "PLACE")}


def division_names(paths: Iterable[Path]) -> Counter:
    """How many villages, communities and townships of the division lists bear each name (suffix removed)."""
    names: Counter[str] = Counter()
    for path in paths:
        for row in csv.DictReader(open_text(path)):
            if "name" not in row:
                raise CorpusError(f"{path}: expected a 'name' column")
            names[_DIVISION_SUFFIX.sub("", row["name"])] += 1
    return names


def select_words(stats: WordStats, names: Iterable[str], divisions: Mapping[str, int],
                 config: BoundaryTableConfig) -> list[str]:
    """The non-name words, sorted."""
    candidates = {w for w in stats.tags if _WORD.fullmatch(w) and stats.count(w) >= config.min_count
                  and stats.function_share(w) >= config.min_function_share and stats.in_name[w] < config.max_in_name
                  and divisions.get(w, 0) < config.max_division_names
                  and (len(w) > 1 or stats.count(w) / stats.chars[w] >= config.min_standalone_share)}
    seen_in_names: Counter[str] = Counter()
    longest = max(map(len, candidates), default=1)
    for name in names:
        pieces = {name[i:j] for i in range(len(name)) for j in range(i + 2, min(len(name), i + longest) + 1)}
        seen_in_names.update(pieces & candidates)
    return sorted(w for w in candidates if len(w) == 1 or seen_in_names[w] < config.max_annotated_names)


def select_name_words(stats: WordStats, words: Iterable[str], config: BoundaryTableConfig) -> list[str]:
    """Corpus words of two or more characters that contain a table word but are not one, sorted."""
    table = set(words)
    longest = max(map(len, table), default=1)
    return sorted(w for w in stats.tags if len(w) > 1 and w not in table and _WORD.fullmatch(w)
                  and stats.count(w) >= config.name_word_min_count
                  and any(w[i:j] in table for i in range(len(w)) for j in range(i + 1, min(len(w), i + longest) + 1)))


def annotated_persons(sentences: Iterable[Tagged]) -> set[str]:
    """Distinct PERSON names of labelled sentences."""
    return {s.text[start:end] for s in sentences for start, end, label in bio_to_spans(s.tags) if label == "PERSON"}


def select_common_nouns(stats: WordStats, config: BoundaryTableConfig) -> list[str]:
    """Common nouns that name a kind, not a bearer (物业, 集体经济, 外部): two to four Han characters seen
    ``min_count`` times, mostly tagged as common nouns, never as a name or an abbreviation; sorted."""
    out = []
    for word, tags in stats.tags.items():
        total = sum(tags.values())
        if 2 <= len(word) <= 4 and _WORD.fullmatch(word) and total >= config.min_count \
                and not tags.keys() & NAME_LIKE_TAGS \
                and sum(n for tag, n in tags.items() if tag in COMMON_NOUN_TAGS) / total >= config.min_function_share:
            out.append(word)
    return sorted(out)


def select_idioms(stats: WordStats) -> list[str]:
    """Idioms (成语: 无中生有, 实事求是): words of four or more Han characters tagged ``i`` in most of their
    occurrences; sorted."""
    return sorted(w for w, tags in stats.tags.items() if len(w) >= 4 and _WORD.fullmatch(w)
                  and sum(n for tag, n in tags.items() if tag in IDIOM_TAGS) * 2 > sum(tags.values()))


def select_surname_words(stats: WordStats, persons: set[str], config: BoundaryTableConfig) -> list[str]:
    """Common words that begin like a Chinese name (党员, 项目, 高度): two or three Han characters led by a
    surname, seen ``min_count`` times, never tagged as a person's name nor annotated as one; sorted."""
    return sorted(w for w, tags in stats.tags.items()
                  if 2 <= len(w) <= 3 and _WORD.fullmatch(w) and surname_of(w) is not None
                  and stats.count(w) >= config.min_count and not tags.keys() & PERSON_TAGS and w not in persons)


def score_left_edges(table: NonNameWords, sentences: Iterable[Tagged], max_length: int = 24) -> dict[str, int]:
    """Left edges of labelled ORG names that end in an organisation head, without and with the table.

    The plain edge is the start of the run of name characters before the head
    (at most ``max_length``); the table's edge is after the last non-name word
    in that run. ``exact``: the edge is the name's start; ``inside``: the edge
    cuts into the name.
    """
    scores: Counter[str] = Counter()
    for sentence in sentences:
        text = sentence.text
        starts = {end: start for start, end, label in bio_to_spans(sentence.tags) if label == "ORG"}
        for head in load_org_heads().pattern.finditer(text):
            run = head.start()
            while run > 0 and head.start() - run < max_length and _NAME_CHAR.match(text[run - 1]):
                run -= 1
            start = starts.get(head.end())
            if start is None or start < run:
                continue
            edge = table.last_end(text, run, head.start())
            scores["names"] += 1
            scores["exact_plain"] += run == start
            scores["exact_table"] += edge == start
            scores["inside_table"] += edge > start
    return dict(sorted(scores.items()))


def build_boundary_table(data: Path, config: BoundaryTableConfig | None = None) -> BoundaryTable:
    """The table from ``data`` (the corpora folder), scored on a dev slice of MSRA train."""
    config = config or BoundaryTableConfig()
    stats, sentences = word_stats(read_peoples_daily(data / PEOPLES_DAILY))
    msra = list(read_bio(data / MSRA_TRAIN))
    random.Random(DEV_SEED).shuffle(msra)
    n_dev = int(len(msra) * DEV_SHARE)
    dev = msra[:n_dev]
    cluener = list(read_cluener(data / CLUENER_TRAIN))
    names = annotated_names(msra[n_dev:]) | annotated_names(cluener)
    persons = annotated_persons(msra) | annotated_persons(cluener)
    divisions = division_names(data / source for source in DIVISION_SOURCES)
    words = select_words(stats, names, divisions, config)
    name_words = select_name_words(stats, words, config)
    table = BoundaryTable(words, name_words, asdict(config), sentences, len(names), len(divisions),
                          select_surname_words(stats, persons, config), select_common_nouns(stats, config),
                          select_idioms(stats))
    table.left_edges = score_left_edges(NonNameWords(frozenset(words), frozenset(name_words)), dev)
    return table


def write_boundary_table(table: BoundaryTable, out: Path) -> list[Path]:
    """Write the table to ``out`` and the name words, surname words, common nouns and idioms beside it; returns
    the paths."""
    settings = [f"{k}={v}" for k, v in table.config.items()]
    made = (f"# Made by `cadregraph train boundaries` (pipeline/train/boundaries.py) from People's Daily 1998\n"
            f"# ({PEOPLES_DAILY}, {table.sentences} sentences), with the ORG/PLACE names of\n"
            f"# {MSRA_TRAIN} (less a {DEV_SHARE:.0%} dev slice) and {CLUENER_TRAIN}"
            f" ({table.annotated_names} distinct) and of\n"
            f"# {' and '.join(DIVISION_SOURCES)} ({table.division_names} distinct) as evidence of name material.\n"
            f"# Settings: {', '.join(settings[:3])},\n# {', '.join(settings[3:])}.\n")
    heads = {
        out: "# Words that cannot be part of an organisation or place name (verbs, adverbs, prepositions,\n"
             "# pronouns, time words ...): an [name][head] mention starts after the last of them.\n",
        out.with_name(NAME_FILE):
            "# Words that contain a word of non_name_words.txt but are name material (人才, 数据):\n"
            "# the boundary matcher takes them whole.\n",
        out.with_name(SURNAME_WORD_FILE):
            "# Common words that begin like a Chinese name (党员, 项目): a surname character,\n"
            "# never tagged or annotated as a person. A name read before a title is none of them.\n",
        out.with_name(COMMON_NOUN_FILE):
            "# Common nouns that name a kind, not a bearer (物业, 外部): 物业公司 is no organisation's\n"
            "# name. Mostly tagged n/vn/an/b/f/s, never as a name or an abbreviation.\n",
        out.with_name(IDIOM_FILE):
            "# Idioms (无中生有, 实事求是), mostly tagged i: a quoted idiom is a saying, not a named initiative.\n",
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    lists = (table.words, table.name_words, table.surname_words, table.common_nouns, table.idioms)
    for path, words in zip(heads, lists, strict=True):
        path.write_text(heads[path] + made + f"# {len(words)} words, one a line.\n" + "\n".join(words) + "\n",
                        encoding="utf-8")
    return list(heads)
