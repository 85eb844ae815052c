"""Near-duplicate detection primitives: word shingles, MinHash signatures, LSH band keys.

Pure functions; the step in scrapers/steps/dedupe.py stores the band keys in Postgres and
looks candidates up with SQL, so a new article is compared with every earlier one without
loading them into memory.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Sequence

import numpy as np
from datasketch import MinHash

from scrapers.text import words

SEED = 20240101  # fixed: signatures stored in the database must stay comparable
_BUCKET = struct.Struct("<q")  # a band's bucket: a signed 64-bit integer, as Postgres keeps it


def shingles(body: str, size: int) -> set[bytes]:
    """Word (syllable) ``size``-grams of the NFC, lower-cased body."""
    tokens = words(body)
    if len(tokens) < size:
        return {" ".join(tokens).encode()} if tokens else set()
    return {" ".join(tokens[i:i + size]).encode() for i in range(len(tokens) - size + 1)}


def signature(body: str, *, num_perm: int, shingle_size: int) -> list[int]:
    m = MinHash(num_perm=num_perm, seed=SEED)
    m.update_batch(list(shingles(body, shingle_size)))
    return [int(v) for v in m.hashvalues]


def band_keys(sig: Sequence[int], bands: int) -> list[tuple[int, int]]:
    """(band, bucket) pairs: a bucket is a signed 64-bit hash of the band's rows (their
    little-endian bytes, packed once for all bands)."""
    rows = len(sig) // bands
    packed = memoryview(struct.pack(f"<{rows * bands}Q", *sig[:rows * bands]))
    width = 8 * rows
    return [(b, _BUCKET.unpack(hashlib.blake2b(packed[b * width:(b + 1) * width],
                                               digest_size=8).digest())[0])
            for b in range(bands)]


def min_shared_bands(num_perm: int, bands: int, threshold: float) -> int:
    """Fewest LSH bands two signatures whose estimated Jaccard reaches ``threshold`` share:
    an unequal row spoils at most one band. Candidates sharing fewer cannot match, so the
    lookups drop them, which keeps bodies that share only boilerplate out of the compare."""
    equal = next((c for c in range(num_perm + 1) if c / num_perm >= threshold), num_perm + 1)
    return max(1, bands - (num_perm - equal))


def estimated_jaccard(a: Sequence[int] | np.ndarray, b: Sequence[int] | np.ndarray) -> float:
    """Share of equal rows; signatures already in uint64 arrays are compared as they are."""
    if len(a) != len(b) or len(a) == 0:
        return 0.0
    same = np.asarray(a, dtype=np.uint64) == np.asarray(b, dtype=np.uint64)
    return np.count_nonzero(same) / len(a)
