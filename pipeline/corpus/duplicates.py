"""Duplicate articles: exact copies by text hash, near copies by MinHash over character shingles (datasketch).

Syndicated news repeats one wire story under many outlets and ids, often
lightly edited (a new headline, a dropped paragraph, another byline). Such a
group of documents counts as one article in edge weights. A group is named
by its smallest document id, so it does not depend on the order documents
were read in.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable

from ..config import DuplicatesConfig

SCHEME = "affine32"  # datasketch's default hashing scheme since 2.0, named so signatures can be rebuilt


def text_signature(text: str, settings: DuplicatesConfig) -> tuple[str, bytes]:
    """The text's hash (exact copies) and its MinHash signature (near copies; empty when disabled).

    Shingles are taken from the NFKC-folded text without white space, so
    re-wrapped or re-indented copies compare equal.
    """
    folded = "".join(unicodedata.normalize("NFKC", text).split())
    digest = hashlib.sha256(folded.encode("utf-8", "surrogatepass")).hexdigest()
    if not settings.enabled:
        return digest, b""
    from datasketch import MinHash  # noqa: PLC0415 - loads scipy; only where documents are fingerprinted

    size = settings.shingle
    shingles = {folded[i:i + size] for i in range(max(len(folded) - size + 1, 1))}
    minhash = MinHash(num_perm=settings.num_perm, scheme=SCHEME)
    minhash.update_batch([s.encode("utf-8", "surrogatepass") for s in sorted(shingles)])
    return digest, minhash.hashvalues.astype("<u8").tobytes()  # one layout whatever datasketch keeps


def duplicate_groups(documents: Iterable[tuple[str, str, bytes]], settings: DuplicatesConfig) -> dict[str, str]:
    """The group of every document that has a duplicate: ``doc_id -> smallest doc id of its group``.

    Args:
        documents: (doc id, text hash, MinHash signature) of each document.
        settings: the similarity threshold and the signature size the signatures were made with.
    """
    documents = list(documents)
    parent: dict[str, str] = {}

    def find(doc_id: str) -> str:
        while parent.get(doc_id, doc_id) != doc_id:
            doc_id = parent[doc_id]
        return doc_id

    def join(a: str, b: str) -> None:
        ra, rb = sorted((find(a), find(b)))
        if ra != rb:
            parent[rb] = ra

    by_digest: dict[str, str] = {}
    for doc_id, digest, _ in documents:
        if digest in by_digest:
            join(by_digest[digest], doc_id)
        else:
            by_digest[digest] = doc_id
    _near_pairs(documents, settings, join)
    groups = {doc_id: find(doc_id) for doc_id, _, _ in documents}
    sizes: dict[str, int] = {}
    for group in groups.values():
        sizes[group] = sizes.get(group, 0) + 1
    return {doc_id: group for doc_id, group in groups.items() if sizes[group] > 1}


def _near_pairs(documents: list[tuple[str, str, bytes]], settings: DuplicatesConfig, join) -> None:
    """Join the documents whose signatures' estimated Jaccard similarity reaches the threshold."""
    signed = [(doc_id, signature) for doc_id, _, signature in documents if signature]
    if not settings.enabled or len(signed) < 2:
        return
    import numpy as np  # noqa: PLC0415 - with datasketch, only where duplicates are looked for
    from datasketch import MinHash, MinHashLSH  # noqa: PLC0415

    lsh = _index(MinHashLSH, settings)
    hashes = {}
    for doc_id, signature in signed:
        values = np.frombuffer(signature, dtype="<u8")
        if len(values) != settings.num_perm:  # made with other settings: only exact copies are found
            continue
        hashes[doc_id] = MinHash(num_perm=settings.num_perm, hashvalues=values, scheme=SCHEME)
        lsh.insert(doc_id, hashes[doc_id])
    for doc_id, minhash in hashes.items():
        for other in lsh.query(minhash):
            # LSH proposes candidates around the threshold; the estimate decides.
            if other != doc_id and minhash.jaccard(hashes[other]) >= settings.threshold:
                join(doc_id, other)


def _index(lsh_class, settings: DuplicatesConfig):
    """An LSH index proposing pairs near the threshold; a lower one where no band layout reaches it.

    datasketch finds no layout of at least two bands for a high threshold with few
    permutations (0.99 with 128); candidates are checked against the threshold anyway.
    """
    for threshold in sorted({settings.threshold, 0.9, 0.8, 0.6, 0.4}, reverse=True):
        if threshold <= settings.threshold:
            try:
                return lsh_class(threshold=threshold, num_perm=settings.num_perm)
            except ValueError:
                continue
    return lsh_class(threshold=0.2, num_perm=settings.num_perm)
