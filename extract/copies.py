"""Copies of one bulletin: documents whose texts are nearly the same (MinHash with LSH).

The same bulletin reaches an archive several times — the unit's web page, its
PDF or Word attachment, a re-post on the discipline commission's site with other
page chrome, a WeChat article, a mirror in Traditional characters with pinyin.
Their normalized texts (:mod:`extract.normalize`: Simplified, width folded,
chrome and pinyin removed) are nearly equal; a unit's next bulletin shares much
of the wording too, but not the dates and figures.

* In the worker, :func:`fingerprint` turns a document's normalized text into a
  MinHash signature (datasketch's affine32 scheme, replicated with numpy) over
  overlapping runs of :data:`SHINGLE_CHARS` characters, spaces and punctuation left
  out, and that into what travels in the brief and the cache: 128 bytes of it
  (:func:`kept_signature`) and its LSH bucket keys (:func:`band_keys`).
* In the writing process, :class:`CopyIndex` files each signature into LSH buckets
  (:data:`LSH_BANDS` bands of :data:`LSH_ROWS` values, the banding of datasketch's
  ``MinHashLSH``) as the documents stream in, and takes the earlier documents sharing
  a bucket as candidates: a candidate is a copy when the signatures agree on at least
  :data:`NEAR_DUPLICATE_MIN_SCORE` of their values (the estimated Jaccard similarity
  of the two texts) and the documents do not contradict each other
  (:func:`may_be_copies`: type, unit, dates, figures). No pairwise loop: a document
  is compared only with its candidates. The buckets are kept here rather than in a
  ``MinHashLSH``: importing that class loads scipy (+55 MiB in the writing process,
  whose peak was 35 MiB), and its storage keeps a set per bucket and every key's band
  hashes (~1.8 KB a document, against ~0.3 KB here: :class:`BucketTable`).
* At the end of the run (:meth:`CopyIndex.decide`) the copies of one bulletin are
  joined (a chain of copies is one bulletin) and the most complete copy is kept
  (:func:`completeness`): more items, more fields stated, then the original over a
  Traditional mirror, a text layer over OCR, then the earlier file.

Nothing imports datasketch (its package loads scipy); the writing process imports
no numpy either and keeps no text: a document
costs 128 bytes of signature (:func:`kept_signature`) and its eight bucket entries
(~0.3 KB in all).
"""

from __future__ import annotations

import base64
import sys
import zlib
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import fields
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from extract.records import DocumentFields, ParsedDocument
from extract.units import agree_on, same_unit

if TYPE_CHECKING:
    import numpy as np

#: Earlier documents a new one is compared with, at most: those sharing the most LSH
#: bands, then the latest. Unrelated bulletins share a band rarely; but a template many
#: units fill in (a county's townships) makes every earlier one a candidate, and comparing
#: each with all (~6 µs a pair) grew with the square of the run: 2,000 such bulletins
#: took 19 s. A copy among more than 64 near-identical earlier documents may be missed
#: (it is then counted on its own).
MAX_CANDIDATES = 64
#: Characters per shingle: runs of five characters tell a bulletin's sentences apart, while
#: a copy's few differences (an OCR slip, a page stamp left in) touch only a few shingles.
SHINGLE_CHARS = 5
#: Hash functions per signature: the similarity is estimated in steps of 1/64 (standard
#: error 0.05 at a similarity of 0.8); 256 bytes as made, 128 as kept.
NUM_PERM = 64
#: Seed of the permutations (as datasketch draws them): signatures made with another seed
#: do not compare.
MINHASH_SEED = 20240614
#: LSH bands × rows (b × r = NUM_PERM). Eight bands of eight find a pair of similarity 0.9
#: with probability 0.99, 0.85 with 0.92, and bring a unit's next bulletin (about 0.5) as a
#: candidate 3 times in 100 (then rejected on its score).
LSH_BANDS = 8
LSH_ROWS = 8
#: Least estimated Jaccard similarity of two copies. Measured on the samples (5-character
#: shingles): copies of one bulletin (other chrome, a WeChat re-post, Traditional with pinyin,
#: PDF, HTML, OCR of a scan) score 0.965–1.00; a unit's successive bulletins 0.44–0.51, the
#: same bulletin as a ledger and as a text 0.58–0.65, unrelated bulletins at most 0.45.
NEAR_DUPLICATE_MIN_SCORE = 0.8
#: Decimals of duplicate_score.
SCORE_DECIMALS = 3
#: Multiplier of the rolling shingle hash (odd, 64-bit: the golden ratio's bits).
_SHINGLE_MULTIPLIER = 0x9E3779B97F4A7C15
#: Source formats read by OCR (a text layer is the better copy).
OCR_FORMATS = ("pdf-ocr", "image")
#: Figures two copies state alike when both state them.
COPY_FIGURES = ("items_declared", "problems_declared", "problems_completed",
                "problems_in_progress", "completion_rate")
#: Dates two copies give alike, or one leaves out, or one gives less precisely (OCR, a cut
#: copy). Not publish_date: a re-post carries the date of its own page.
COPY_DATES = ("as_of_date", "feedback_date", "inspection_start", "inspection_end")
#: Fields counted by :func:`completeness` (a copy stating more of them is the fuller one).
_STATED_FIELDS = tuple(f.name for f in fields(DocumentFields)
                       if f.name not in ("doc_id", "source_path", "source_format", "doc_type",
                                         "items_extracted", "parse_status", "problems_extracted",
                                         "measures_extracted", "page_count", "doc_type_reason",
                                         "duplicate_of", "duplicate_score"))


# ----------------------------------------------------------------- in the worker


def _keep_mask(codes: np.ndarray) -> np.ndarray:
    """Characters that carry the text: Han, Latin letters and digits (not spaces, punctuation)."""
    return (((codes >= 0x30) & (codes <= 0x39)) | ((codes >= 0x61) & (codes <= 0x7A))
            | ((codes >= 0x3400) & (codes <= 0x4DBF)) | ((codes >= 0x4E00) & (codes <= 0x9FFF))
            | ((codes >= 0xF900) & (codes <= 0xFAFF)) | ((codes >= 0x20000) & (codes <= 0x3134F)))


def shingle_hashes(text: str) -> np.ndarray:
    """32-bit hashes of the distinct runs of :data:`SHINGLE_CHARS` characters of ``text``,
    after folding width (Ｆ → F) and case and leaving out everything but Han characters,
    letters and digits (spaces, line breaks and punctuation differ between copies). A text
    shorter than a shingle is one shingle; an empty text has none."""
    import numpy as np

    codes = _shingle_codes(text)
    return np.empty(0, dtype=np.uint64) if codes is None else np.unique(codes)


def _shingle_codes(text: str) -> np.ndarray | None:
    """The hashes of :func:`shingle_hashes`, repeats kept (None for a text without one)."""
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
    wide = (codes >= 0xFF01) & (codes <= 0xFF5E)
    codes[wide] -= 0xFEE0  # full width → ASCII
    upper = (codes >= 0x41) & (codes <= 0x5A)
    codes[upper] += 0x20
    kept = codes[_keep_mask(codes)].astype(np.uint64)
    if kept.size == 0:
        return None
    n = max(1, kept.size - SHINGLE_CHARS + 1)
    width = min(SHINGLE_CHARS, kept.size)
    h = np.zeros(n, dtype=np.uint64)
    multiplier = np.uint64(_SHINGLE_MULTIPLIER)
    for j in range(width):  # polynomial rolling hash, wrapping at 2^64
        h = h * multiplier + kept[j:j + n]
    return (h ^ (h >> np.uint64(32))) & np.uint64(0xFFFFFFFF)


#: MurmurHash3's 32-bit finalizer (shifts and multipliers): datasketch's affine32 scheme
#: mixes each input hash with it before the permutations.
_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The :data:`NUM_PERM` affine permutations ``h → a·h + b mod 2^32`` (``a`` odd) of
    datasketch's ``MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, scheme="affine32")``, drawn
    the same way (numpy's RandomState with that seed), so signatures equal datasketch's
    value for value (tests/test_copies.py checks it) without importing datasketch, whose
    package loads scipy: ~0.45 s at the start of every run's worker server."""
    import numpy as np

    gen = np.random.RandomState(MINHASH_SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def signature(text: str) -> bytes | None:
    """The MinHash signature of a normalized text (:data:`NUM_PERM` little-endian uint32),
    or None for a text without a shingle: the minimum over its shingle hashes, each mixed
    (:data:`_FMIX32`) and put through every permutation. (A permutation at a time over the
    hashes, in place: ~0.2 ms for a 10,000-character bulletin, where one (hashes × 64)
    matrix took ~2 ms; repeated shingles need no removing, a minimum ignores them.)"""
    import numpy as np

    hv = _shingle_codes(text)
    if hv is None:
        return None
    hv = hv.astype(np.uint32)  # uint32 arithmetic wraps: the modulo 2^32 of the scheme
    s1, m1, s2, m2, s3 = (np.uint32(c) for c in _FMIX32)
    hv ^= hv >> s1
    hv *= m1
    hv ^= hv >> s2
    hv *= m2
    hv ^= hv >> s3
    a, b = _permutations()
    out = np.empty(NUM_PERM, dtype="<u4")
    work = np.empty_like(hv)
    for k in range(NUM_PERM):
        np.multiply(hv, a[k], out=work)
        work += b[k]
        out[k] = work.min()
    return out.tobytes()


def fingerprint(parsed: ParsedDocument) -> dict[str, Any]:
    """What the writing process needs to find a document's copies (:func:`fingerprint_text`)."""
    return fingerprint_text(parsed.text, parsed.traditional)


def fingerprint_text(text: str, mirror: bool = False) -> dict[str, Any]:
    """A normalized text's signature as the writing process keeps it (base64 of
    :func:`kept_signature`), its LSH bucket keys (:func:`band_keys`), and whether its source
    was a Traditional mirror; None in place of the first two for a text without a shingle.
    Made in the worker, so the writing process only decodes and files."""
    sig = signature(text)
    if sig is None:
        return {"minhash": None, "bands": None, "mirror": mirror}
    return {"minhash": base64.b64encode(kept_signature(sig)).decode("ascii"),
            "bands": band_keys(sig), "mirror": mirror}


# ----------------------------------------------------------------- what makes two copies


def may_be_copies(a: DocumentFields, b: DocumentFields) -> bool:
    """Whether two documents of nearly the same text can be one bulletin: same type, the same
    unit (:func:`extract.units.same_unit`, or one not named), no date or stated figure in
    contradiction. Successive bulletins of a unit share most of their wording but not their
    as_of dates and figures."""
    if a.doc_type != b.doc_type:
        return False
    if a.unit and b.unit and not same_unit(a.unit, b.unit):
        return False
    return agree_on(a, b, COPY_FIGURES, COPY_DATES)


def completeness(doc: DocumentFields, mirror: bool, position: int) -> tuple[int, int, bool, bool,
                                                                             int]:
    """Sort key: the copy to keep first — more items, more fields stated, not a Traditional
    mirror, not OCR, the earlier file."""
    stated = sum(getattr(doc, name) is not None for name in _STATED_FIELDS)
    return (-doc.items_extracted, -stated, mirror, doc.source_format in OCR_FORMATS, position)


# ------------------------------------------------------------ in the writing process


#: Bytes of a signature as made (NUM_PERM uint32), of one band of it, and as kept in the
#: writing process: the low 16 bits of each value (b-bit MinHash: two different values
#: agree on them once in 65,536, which moves a similarity estimate by 0.00002).
SIGNATURE_BYTES = NUM_PERM * 4
_BAND_BYTES = LSH_ROWS * 4
KEPT_BYTES = NUM_PERM * 2
#: A bucket key is a 32-bit hash of a band (salted by the band's number); a chance collision
#: only brings a candidate, checked on its score.
_KEY_MASK = 0xFFFFFFFF
_BAND_SALT = 0x9E3779B1
_EMPTY = 0xFFFFFFFF  # marks a free slot; a key equal to it is moved one down
#: array typecodes of unsigned 16- and 32-bit values.
_U16 = next(code for code in "HI" if array(code).itemsize == 2)
_U32 = next(code for code in "IL" if array(code).itemsize == 4)


def band_keys(signature: bytes) -> list[int]:
    """The bucket key of each LSH band of a signature (:data:`LSH_BANDS` bands of
    :data:`LSH_ROWS` values): two signatures share a key when they agree on the whole band
    (CRC-32 of the band's bytes, salted by its number: the same in every process)."""
    keys = []
    for band in range(LSH_BANDS):
        key = (zlib.crc32(signature[band * _BAND_BYTES:(band + 1) * _BAND_BYTES])
               ^ (band * _BAND_SALT)) & _KEY_MASK
        keys.append(key - 1 if key == _EMPTY else key)
    return keys


def kept_signature(signature: bytes) -> bytes:
    """What the writing process keeps of a signature: the low 16 bits of each value (the
    first two bytes of each little-endian uint32)."""
    return array(_U16, signature)[::2].tobytes()  # bytes 0-1, 4-5, …: whatever the byte order


#: Slots of a new bucket table (a power of two), and its most filled share before it doubles
#: (linear probing stays short below two thirds: ~5 probes for a new key on average).
TABLE_START_SLOTS = 1 << 12
TABLE_MAX_LOAD = 2 / 3


class BucketTable:
    """LSH buckets in two flat arrays (open addressing, linear probing): a slot holds a
    32-bit bucket key and the first document filed under it — 8 bytes a slot, at most 3
    slots a key, where a dict entry with its int key takes ~90 bytes. The few buckets
    holding more documents (copies, look-alikes) keep the others in a dict."""

    def __init__(self) -> None:
        self._keys = array(_U32, [_EMPTY]) * TABLE_START_SLOTS
        self._docs = array("i", [0]) * TABLE_START_SLOTS
        self._used = 0
        self._more: dict[int, list[int]] = {}

    def file(self, key: int, number: int) -> list[int]:
        """File document ``number`` under ``key``; the documents filed under it before."""
        keys = self._keys
        mask = len(keys) - 1
        i = key & mask
        while True:
            held = keys[i]
            if held == _EMPTY:
                keys[i] = key
                self._docs[i] = number
                self._used += 1
                if self._used > TABLE_MAX_LOAD * len(keys):
                    self._grow()
                return []
            if held == key:
                more = self._more.setdefault(key, [])
                earlier = [self._docs[i], *more]
                more.append(number)
                return earlier
            i = (i + 1) & mask

    def _grow(self) -> None:
        old_keys, old_docs = self._keys, self._docs
        slots = 2 * len(old_keys)
        keys = self._keys = array(_U32, [_EMPTY]) * slots
        docs = self._docs = array("i", [0]) * slots
        mask = slots - 1
        for key, number in zip(old_keys, old_docs, strict=True):
            if key != _EMPTY:
                i = key & mask
                while keys[i] != _EMPTY:
                    i = (i + 1) & mask
                keys[i] = key
                docs[i] = number

    def nbytes(self) -> int:
        return (self._keys.itemsize * len(self._keys) + self._docs.itemsize * len(self._docs)
                + sys.getsizeof(self._more) + sum(sys.getsizeof(v) for v in self._more.values()))


def agreement(a: bytes | bytearray, b: bytes | bytearray) -> float:
    """The share of values two kept signatures (:func:`kept_signature`) hold in common:
    their estimated Jaccard similarity (equal values XOR to zero lanes, counted in C)."""
    x = int.from_bytes(a, "little") ^ int.from_bytes(b, "little")
    return array(_U16, x.to_bytes(KEPT_BYTES, "little")).count(0) / NUM_PERM


class CopyIndex:
    """The documents of a run as they stream in, with the pairs found to be copies.

    :meth:`add` each document in input order with its :func:`fingerprint`; :meth:`decide`
    at the end."""

    def __init__(self) -> None:
        self.documents: list[DocumentFields] = []
        self._signatures = bytearray()  # KEPT_BYTES per document with a signature
        self._row: array[int] = array("i")  # document number → its signature's row, or -1
        self._mirror = bytearray()
        self._pairs: list[tuple[int, int, float]] = []
        self._buckets = BucketTable()

    def add(self, doc: DocumentFields, fingerprint: dict[str, Any] | None) -> None:
        """File one document, as it streams in, with its :func:`fingerprint` (None: never a
        copy), and note the earlier documents it is a copy of."""
        number = len(self.documents)
        self.documents.append(doc)
        fingerprint = fingerprint or {}
        self._mirror.append(bool(fingerprint.get("mirror")))
        encoded, keys = fingerprint.get("minhash"), fingerprint.get("bands")
        kept = base64.b64decode(encoded) if encoded else b""
        if len(kept) != KEPT_BYTES or not keys or len(keys) != LSH_BANDS:
            self._row.append(-1)  # no text, or made with other settings: not comparable
            return
        self._row.append(len(self._signatures) // KEPT_BYTES)
        self._signatures += kept
        shared: Counter[int] = Counter()
        for key in keys:
            shared.update(self._buckets.file(key & _KEY_MASK, number))
        # Most bands shared first, then the latest; at most MAX_CANDIDATES (see there).
        nearest = sorted(shared, key=lambda other: (-shared[other], -other))[:MAX_CANDIDATES]
        for other in sorted(nearest):
            score = agreement(kept, self._signature(other))
            if score >= NEAR_DUPLICATE_MIN_SCORE and may_be_copies(doc, self.documents[other]):
                self._pairs.append((other, number, score))

    def _signature(self, number: int) -> bytearray:
        start = self._row[number] * KEPT_BYTES
        return self._signatures[start:start + KEPT_BYTES]

    def pairs(self) -> list[tuple[DocumentFields, DocumentFields, float]]:
        """The pairs found to be copies (earlier, later, score), in the order found."""
        return [(self.documents[a], self.documents[b], s) for a, b, s in self._pairs]

    def decide(self) -> Iterator[tuple[DocumentFields, DocumentFields, float]]:
        """(copy, the copy kept, score) for every document that is a copy of another: copies
        linked directly or through others are one bulletin, whose most complete copy is kept
        (:func:`completeness`). The score is the copy's similarity to the one kept."""
        parent = list(range(len(self.documents)))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for a, b, _ in self._pairs:
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        groups: dict[int, list[int]] = {}
        for a, b, _ in self._pairs:
            for number in (a, b):
                members = groups.setdefault(root(number), [])
                if number not in members:
                    members.append(number)
        for members in groups.values():
            kept = min(members, key=lambda n: completeness(self.documents[n],
                                                           bool(self._mirror[n]), n))
            for number in sorted(members):
                if number != kept:
                    score = agreement(self._signature(number), self._signature(kept))
                    yield self.documents[number], self.documents[kept], round(score, SCORE_DECIMALS)

    def memory_bytes(self) -> int:
        """Bytes this index holds beyond the documents themselves (signatures, buckets)."""
        return (len(self._signatures) + self._row.itemsize * len(self._row) + len(self._mirror)
                + self._buckets.nbytes())
