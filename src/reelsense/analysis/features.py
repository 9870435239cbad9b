"""Fast text-to-features path: tokens, exact word n-gram keys, a binary CSR matrix.

The featuriser is pure NumPy/SciPy (no scikit-learn at inference):

1. tokens: the default ``"bytes"`` tokeniser lowercases each text and encodes
   it as UTF-8; ASCII letters and digits and every byte >= 0x80 (non-ASCII
   letters stay inside words) make words, ``!`` and ``?`` are tokens of their
   own, every other byte separates tokens. The ``"regex"`` tokeniser runs
   ``token_pattern`` instead (slower);
2. tokens become integer ids (id 0 is the out-of-vocabulary token): for the
   bytes tokeniser, NumPy splits the whole batch and looks tokens up without a
   Python object per token (:class:`reelsense.analysis.tables.ByteVocabulary`),
   for the regex one through a ``dict``;
3. all texts' ids are concatenated into one array and word n-grams (1..n) are
   packed *exactly* (no hashing, no collisions) into one int64 key each:
   ``order << 60 | id1 << 40 | id2 << 20 | id3`` (ids use 20 bits);
4. unigrams find their column in a dense array indexed by token id, longer
   n-grams in a hash table of the n-gram keys kept at fit time (document
   frequency >= ``min_df``; :class:`reelsense.analysis.tables.KeyTable`), and
   one canonical binary CSR matrix (one row per text) is built directly.

The fast path gives exactly the matrix of a ``dict`` per token, a binary
search per n-gram and SciPy's COO-to-CSR conversion
(``tests/analysis/test_fast_path.py``).

Everything the featuriser learned is a vocabulary and a sorted int64 array, so
it saves as plain arrays (see :mod:`reelsense.analysis.persist`).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from itertools import chain, repeat
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from reelsense.analysis.tables import ByteVocabulary, KeyTable
from reelsense.errors import ConfigError

logger = logging.getLogger(__name__)

__all__ = ["FeatureConfig", "Featurizer", "build_featurizer", "tokenize"]

ID_BITS = 20
MAX_VOCABULARY = (1 << ID_BITS) - 1
ORDER_SHIFT = 60
SKIP_ORDER = 4  # key "order" code of skip-bigrams (w1 _ w3)
DEFAULT_TOKEN_PATTERN = r"[^\W_]+(?:'[^\W_]+)?|[!?]"
TOKENIZERS = ("bytes", "regex")
_KEPT_ASCII = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!?")
# ASCII bytes that are not letters, digits, ! or ? become spaces; bytes >= 0x80
# (parts of UTF-8 encoded non-ASCII characters) are kept inside words.
_BYTE_TABLE = bytes(b if (b >= 0x80 or b in _KEPT_ASCII) else 0x20 for b in range(256))

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class FeatureConfig:
    """Settings of the word n-gram featuriser (all JSON-serialisable).

    Parameters
    ----------
    ngram_max:
        Longest word n-gram (1 = unigrams only, at most 3).
    min_df:
        Minimum number of training texts a token / n-gram must occur in.
    skip_bigrams:
        Also use pairs of words one word apart (``not ... good``).
    tokenizer:
        ``"bytes"`` (fast, default) or ``"regex"`` (``token_pattern``).
    token_pattern:
        For the ``"regex"`` tokeniser: the regular expression whose matches
        (on lowercased text) are the tokens.
    max_tokens:
        Texts longer than this many tokens are cut (bounds time and memory).

    Example
    -------
    >>> FeatureConfig(ngram_max=2).to_json()["ngram_max"]
    2
    """

    ngram_max: int = 3
    min_df: int = 2
    skip_bigrams: bool = False
    tokenizer: str = "bytes"
    token_pattern: str = DEFAULT_TOKEN_PATTERN
    max_tokens: int = 5000

    def __post_init__(self) -> None:
        if self.tokenizer not in TOKENIZERS:
            raise ConfigError(f"tokenizer must be one of {TOKENIZERS}, not {self.tokenizer!r}")
        if not 1 <= self.ngram_max <= 3:
            raise ConfigError(f"ngram_max must be 1, 2 or 3, not {self.ngram_max}")
        if self.min_df < 1:
            raise ConfigError(f"min_df must be >= 1, not {self.min_df}")
        if self.max_tokens < 1:
            raise ConfigError(f"max_tokens must be >= 1, not {self.max_tokens}")
        try:
            re.compile(self.token_pattern)
        except re.error as exc:
            raise ConfigError(f"token_pattern is not a valid regex: {exc}") from exc

    def to_json(self) -> dict[str, Any]:
        """Return the settings as a JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FeatureConfig:
        """Build a config from :meth:`to_json` output.

        Settings saved before the ``"bytes"`` tokeniser existed carry no
        ``tokenizer`` key and were made with the regex tokeniser, so a missing
        key means ``"regex"``.

        Raises
        ------
        ConfigError
            When a key is unknown or a value is invalid.
        """
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise ConfigError(f"unknown feature settings: {sorted(unknown)}")
        values = dict(data)
        values.setdefault("tokenizer", "regex")
        try:
            return cls(**values)
        except TypeError as exc:
            raise ConfigError(f"invalid feature settings: {exc}") from exc


def tokenize(text: str, config: FeatureConfig | None = None) -> list[str]:
    """Split ``text`` into lowercase tokens (words, ``!`` and ``?``).

    Example
    -------
    >>> tokenize("Great film!")
    ['great', 'film', '!']
    """
    config = config or FeatureConfig()
    if config.tokenizer == "regex":
        return re.findall(config.token_pattern, text.lower())
    return [t.decode("utf-8") for t in _byte_tokens([text])]


def _byte_tokens(texts: Sequence[str]) -> list[bytes]:
    """Tokenise a batch at once: flat tokens, texts separated by a ``\\x01`` token."""
    table = _BYTE_TABLE
    parts = [text.lower().encode("utf-8", "replace").translate(table) for text in texts]
    joined = b" \x01 ".join(parts).replace(b"!", b" ! ").replace(b"?", b" ? ")
    return joined.split()


class Featurizer:
    """Turns texts into a binary (documents x n-grams) CSR matrix.

    Build one with :func:`build_featurizer` (from training texts) or
    :meth:`from_arrays` (from a saved model).
    """

    def __init__(self, config: FeatureConfig, vocabulary: Sequence[str], keys: IntArray) -> None:
        if len(vocabulary) > MAX_VOCABULARY:
            raise ConfigError(f"vocabulary has {len(vocabulary)} tokens; at most {MAX_VOCABULARY}")
        keys = np.asarray(keys, dtype=np.int64)
        if keys.ndim != 1 or (keys.size > 1 and bool(np.any(keys[1:] <= keys[:-1]))):
            raise ConfigError("n-gram keys must be a strictly increasing 1-d int64 array")
        self.config = config
        self.vocabulary = list(vocabulary)
        self.keys = keys
        # id 0 is the out-of-vocabulary token; real tokens are 1..len(vocabulary)
        self._index = {tok: i + 1 for i, tok in enumerate(self.vocabulary)}
        self._findall = re.compile(config.token_pattern).findall
        # built on first use: a worker that never transforms pays nothing
        self._table: KeyTable | None = None
        self._bytes_vocabulary: ByteVocabulary | None = None
        self._unigram_columns: IntArray = np.zeros(0, dtype=np.int64)

    @property
    def n_features(self) -> int:
        """Number of columns of :meth:`transform`'s output."""
        return int(self.keys.size)

    def prepare(self) -> Featurizer:
        """Build the lookup tables now (done on first use otherwise); return ``self``.

        Worth calling before forking worker processes, which then share the
        tables instead of each building its own (about 0.3 s for the shipped model).
        """
        if self._table is None:
            self._table = KeyTable(self.keys)
            self._unigram_columns = _unigram_columns(self.keys, len(self.vocabulary))
        if self._bytes_vocabulary is None and self.config.tokenizer == "bytes":
            self._bytes_vocabulary = ByteVocabulary(self.vocabulary)
        return self

    def token_ids(self, texts: Sequence[str]) -> tuple[IntArray, IntArray]:
        """Return all texts' token ids concatenated, and each text's token count."""
        cap = self.config.max_tokens
        get: Any = self._index.get
        if self.config.tokenizer == "regex":
            findall = self._findall
            chunks = [findall(text.lower())[:cap] for text in texts]
            lengths = np.fromiter(map(len, chunks), dtype=np.int64, count=len(chunks))
            flat: Iterable[str | bytes] = chain.from_iterable(chunks)
            total = int(lengths.sum())
            return np.fromiter(map(get, flat, repeat(0)), dtype=np.int64, count=total), lengths
        if self._bytes_vocabulary is None:
            self.prepare()
        assert self._bytes_vocabulary is not None
        ids, lengths = self._bytes_vocabulary.token_ids(texts)
        if lengths.size and int(lengths.max()) > cap:
            starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
            keep = np.arange(ids.size, dtype=np.int64) - starts < cap
            ids = ids[keep]
            lengths = np.minimum(lengths, cap)
        return ids, lengths

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Return the binary n-gram matrix of ``texts`` (float32, one row per text).

        The matrix is in canonical CSR form (column indices sorted and unique
        within each row), built directly: the (row, column) pairs are packed
        into one integer each and sorted once, which orders the row's columns
        and makes duplicates adjacent. ``X @ weights`` then adds each row's
        weights in increasing column order, exactly as before this fast path
        (float32 sums depend on that order).

        Example
        -------
        >>> f = build_featurizer(["good film", "bad film"], FeatureConfig(min_df=1))
        >>> f.transform(["good film"]).sum()
        np.float32(3.0)
        """
        n_texts = len(texts)
        n_columns = max(self.keys.size, 1)
        ids, lengths = self.token_ids(texts)
        col_bits = max(int(n_columns - 1).bit_length(), 1)
        # uint32 pairs (half the bytes to sort) whenever the rows fit beside the columns
        small = (n_texts << col_bits) <= (1 << 32)
        packed = self._packed_pairs(
            ids, lengths, col_bits, np.dtype(np.uint32 if small else np.int64)
        )
        packed.sort()
        if packed.size:
            first = np.empty(packed.size, dtype=bool)
            first[0] = True
            np.not_equal(packed[1:], packed[:-1], out=first[1:])
            packed = packed[first]
        indices = (packed & ((1 << col_bits) - 1)).astype(np.int32)
        row_of = (packed >> col_bits).astype(np.int64)
        indptr = np.zeros(n_texts + 1, dtype=np.int32)
        np.cumsum(np.bincount(row_of, minlength=n_texts), out=indptr[1:])
        data = np.ones(indices.size, dtype=np.float32)
        matrix = sp.csr_matrix((data, indices, indptr), shape=(n_texts, n_columns), copy=False)
        matrix.has_sorted_indices = True
        matrix.has_canonical_format = True
        return matrix

    def _packed_pairs(
        self, ids: IntArray, lengths: IntArray, col_bits: int, dtype: np.dtype[Any]
    ) -> npt.NDArray[np.integer[Any]]:
        """Return ``row << col_bits | column`` of every n-gram of the texts that is a feature.

        Unigrams are looked up in a dense array indexed by token id (small,
        stays in cache); longer n-grams in the hash table of n-gram keys. Each
        block is filtered and packed on its own, so only the (smaller) packed
        hits are ever concatenated.
        """
        if self._table is None:
            self.prepare()
        assert self._table is not None
        doc = np.repeat(np.arange(lengths.size, dtype=np.int64), lengths)
        parts = []
        blocks = chain(
            [(doc, self._unigram_columns[ids])],
            (
                (rows, self._table.lookup(keys))
                for rows, keys in _longer_ngrams(
                    ids, doc, self.config.ngram_max, self.config.skip_bigrams
                )
            ),
        )
        for rows, cols in blocks:
            hit = cols >= 0
            parts.append(((rows[hit] << col_bits) | cols[hit]).astype(dtype))
        return np.concatenate(parts)

    def to_arrays(self) -> dict[str, npt.NDArray[Any]]:
        """Return the learned state as plain arrays (no objects, no pickles)."""
        blob = "\n".join(self.vocabulary).encode("utf-8")
        return {
            "vocabulary_utf8": np.frombuffer(blob, dtype=np.uint8).copy(),
            "ngram_keys": self.keys,
        }

    @classmethod
    def from_arrays(
        cls, config: FeatureConfig, arrays: Mapping[str, npt.NDArray[Any]]
    ) -> Featurizer:
        """Rebuild a featuriser from :meth:`to_arrays` output."""
        blob = np.asarray(arrays["vocabulary_utf8"], dtype=np.uint8).tobytes().decode("utf-8")
        vocabulary = blob.split("\n") if blob else []
        return cls(config, vocabulary, np.asarray(arrays["ngram_keys"], dtype=np.int64))


def _unigram_columns(keys: IntArray, vocabulary_size: int) -> IntArray:
    """Column of each token id's unigram feature (-1: none), indexed by token id."""
    columns = np.full(vocabulary_size + 1, -1, dtype=np.int64)
    lo, hi = np.searchsorted(keys, [1 << ORDER_SHIFT, 2 << ORDER_SHIFT])
    columns[keys[lo:hi] & np.int64(MAX_VOCABULARY)] = np.arange(lo, hi, dtype=np.int64)
    return columns


def ngram_keys(
    ids: IntArray, lengths: IntArray, ngram_max: int, skip_bigrams: bool = False
) -> tuple[IntArray, IntArray]:
    """Return (row, key) for every word n-gram of order 1..``ngram_max``.

    ``ids`` holds all documents' token ids back to back, ``lengths`` the number
    of tokens of each document; n-grams never cross a document boundary.
    """
    doc = np.repeat(np.arange(lengths.size, dtype=np.int64), lengths)
    rows = [doc]
    keys = [ids | np.int64(1 << ORDER_SHIFT)]
    for block_rows, block_keys in _longer_ngrams(ids, doc, ngram_max, skip_bigrams):
        rows.append(block_rows)
        keys.append(block_keys)
    return np.concatenate(rows), np.concatenate(keys)


def _longer_ngrams(
    ids: IntArray, doc: IntArray, ngram_max: int, skip_bigrams: bool
) -> Iterator[tuple[IntArray, IntArray]]:
    """Yield (row, key) of the n-grams of order 2..``ngram_max``, then of the skip-bigrams.

    ``doc`` is the document (row) of every token.
    """
    for order in range(2, ngram_max + 1):
        m = ids.size - order + 1
        if m <= 0:
            break
        same = doc[:m] == doc[order - 1 :]
        packed = ids[:m].copy()
        for j in range(1, order):
            packed <<= ID_BITS
            packed |= ids[j : j + m]
        packed |= np.int64(order << ORDER_SHIFT)
        yield doc[:m][same], packed[same]
    m = ids.size - 2
    if skip_bigrams and m > 0:
        same = doc[:m] == doc[2:]
        packed = (ids[:m] << ID_BITS) | ids[2:] | np.int64(SKIP_ORDER << ORDER_SHIFT)
        yield doc[:m][same], packed[same]


def build_featurizer(texts: Sequence[str], config: FeatureConfig | None = None) -> Featurizer:
    """Learn the vocabulary and the n-gram keys from training ``texts``.

    Tokens and n-grams kept are those found in at least ``config.min_df``
    texts. Deterministic: the result depends only on ``texts`` and ``config``.

    Example
    -------
    >>> f = build_featurizer(["good film", "bad film"], FeatureConfig(min_df=2))
    >>> f.vocabulary
    ['film']
    """
    config = config or FeatureConfig()
    df: Counter[str] = Counter()
    if config.tokenizer == "regex":
        pattern = re.compile(config.token_pattern)
        for text in texts:
            df.update(set(pattern.findall(text.lower())[: config.max_tokens]))
    else:
        byte_df: Counter[bytes] = Counter()
        for text in texts:
            byte_df.update(set(_byte_tokens([text])[: config.max_tokens]))
        df.update({tok.decode("utf-8"): n for tok, n in byte_df.items()})
    vocabulary = sorted(tok for tok, n in df.items() if n >= config.min_df)
    if len(vocabulary) > MAX_VOCABULARY:
        vocabulary = sorted(sorted(vocabulary, key=lambda t: (-df[t], t))[:MAX_VOCABULARY])
    partial = Featurizer(config, vocabulary, np.zeros(0, dtype=np.int64))
    ids, lengths = partial.token_ids(texts)
    rows, keys = ngram_keys(ids, lengths, config.ngram_max, config.skip_bigrams)
    # document frequency of each key: unique (row, key) pairs, then count keys
    order = np.lexsort((keys, rows))
    rows, keys = rows[order], keys[order]
    first = np.ones(keys.size, dtype=bool)
    first[1:] = (keys[1:] != keys[:-1]) | (rows[1:] != rows[:-1])
    uniq, counts = np.unique(keys[first], return_counts=True)
    kept = uniq[counts >= config.min_df]
    logger.info("featuriser: %d tokens, %d n-grams kept", len(vocabulary), kept.size)
    return Featurizer(config, vocabulary, kept)
