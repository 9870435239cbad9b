"""Vectorised lookup tables of the featuriser: n-gram keys, and token ids from raw bytes.

Both exist for speed only: they return exactly what a ``dict`` or a binary
search would, for whole arrays at once.

- :class:`KeyTable` maps int64 keys (packed n-grams) to their positions.
- :class:`ByteVocabulary` splits a batch of texts into tokens and maps every
  token to its vocabulary id without making a Python object per token.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["ByteVocabulary", "KeyTable"]

IntArray = npt.NDArray[np.int64]

_HASH_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
LOOKUP_BLOCK = 1 << 15  # keys hashed and probed at once: the temporaries stay in L2 cache

# Byte classes of the "bytes" tokeniser: ASCII letters and digits and every byte
# >= 0x80 (parts of UTF-8 encoded non-ASCII characters) make words; "!" and "?"
# are tokens of their own; every other byte separates tokens.
_WORD, _MARK = 1, 2
_KEPT_ASCII = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_BYTE_CLASS = np.zeros(256, dtype=np.uint8)
_BYTE_CLASS[np.frombuffer(_KEPT_ASCII, dtype=np.uint8)] = _WORD
_BYTE_CLASS[0x80:] = _WORD
_BYTE_CLASS[np.frombuffer(b"!?", dtype=np.uint8)] = _MARK
_WORD_BYTES = bytes(np.flatnonzero(_BYTE_CLASS == _WORD).tolist())
SHORT = 8  # tokens of at most this many bytes are looked up as one 64-bit word
_PAD = b"\x00" * SHORT  # lets an 8-byte window start at any byte of the batch


class KeyTable:
    """Open-addressing hash table (linear probing) from int64 keys to their positions.

    Built once; a lookup is a few vectorised gathers instead of a binary
    search or a ``dict`` lookup per key. Any int64 is a valid key.

    Each slot holds the key and its position side by side (16 bytes, viewed as
    one ``complex128`` so that a single fancy-indexing gather fetches both: one
    cache miss per probe instead of two; the bytes are only copied, never used
    as floating-point numbers). Keys are placed in the order of their home
    slot, each at the first free slot at or after it, which a running maximum
    computes without a loop; the table is padded at the end instead of
    wrapping around and always ends with an empty slot, so every probe stops.
    When a key occurs twice, the lookup returns one of its positions.

    Example
    -------
    >>> KeyTable(np.array([7, 3, 9])).lookup(np.array([9, 4])).tolist()
    [2, -1]
    """

    def __init__(self, keys: IntArray, *, max_load: float = 0.5) -> None:
        keys = np.asarray(keys, dtype=np.int64)
        n = int(keys.size)
        self.bits = max(4, int(np.ceil(np.log2(max(n, 1) / max_load))))
        home = self._hash(keys)
        order = np.argsort(home)
        rank = np.arange(n, dtype=np.int64)
        # slot of the i-th key in home order: max(home_i, slot_(i-1) + 1)
        slots = np.maximum.accumulate(home[order] - rank) + rank
        size = max(1 << self.bits, int(slots[-1]) + 1 if n else 0) + 1
        # zeros: calloc'd lazily by the OS, no pass over the table to fill it
        pairs = np.zeros((size, 2), dtype=np.int64)
        pairs[slots, 0] = keys[order]
        pairs[slots, 1] = order + 1  # 0 marks an empty slot
        self._slots = pairs.view(np.complex128).reshape(size)

    def _hash(self, keys: IntArray) -> IntArray:
        with np.errstate(over="ignore"):
            mixed = keys.view(np.uint64) * _HASH_MULTIPLIER
        return (mixed >> np.uint64(64 - self.bits)).astype(np.int64)

    def lookup(self, keys: IntArray) -> IntArray:
        """Return each key's position in the original array, or -1 when absent."""
        keys = np.ascontiguousarray(keys, dtype=np.int64)
        out = np.empty(keys.size, dtype=np.int64)
        for start in range(0, keys.size, LOOKUP_BLOCK):
            block = keys[start : start + LOOKUP_BLOCK]
            out[start : start + block.size] = self._lookup_block(block)
        return out

    def _lookup_block(self, keys: IntArray) -> IntArray:
        slots = self._hash(keys)
        found = self._slots[slots].view(np.int64).reshape(-1, 2)
        match = found[:, 0] == keys
        # an empty slot (value 0) ends the probe: position 0 - 1 = -1, absent. A
        # query of key 0 "matches" an empty slot the same way, and stops there
        # rightly: a stored key 0 sits between its home slot and the first empty one.
        out: IntArray = np.where(match, found[:, 1], 0) - 1
        todo = np.flatnonzero(~match & (found[:, 1] != 0))
        while todo.size:
            slots[todo] += 1
            found = self._slots[slots[todo]].view(np.int64).reshape(-1, 2)
            match = found[:, 0] == keys[todo]
            out[todo[match]] = found[match, 1] - 1
            todo = todo[~match & (found[:, 1] != 0)]
        return out


def _word_key(token: bytes) -> int:
    """The int64 key of a token of at most 8 bytes: its bytes as a little-endian word."""
    return int.from_bytes(token.ljust(SHORT, b"\x00"), "little", signed=True)


class ByteVocabulary:
    """Token ids of texts as the ``"bytes"`` tokeniser splits them, for a whole batch at once.

    The texts are lowercased and UTF-8 encoded by Python, joined into one
    buffer, and split by NumPy using a byte-class table (the same classes as
    :func:`reelsense.analysis.features.tokenize`). A token of at most 8 bytes
    never contains a zero byte, so its bytes read as one little-endian 64-bit
    word (zero-padded) *are* an exact key, looked up in a :class:`KeyTable`;
    tokens of 9 to 16 bytes are two such words, checked word for word; the
    few longer ones are sliced out and looked up in a ``dict``. Every match is
    exact, so the ids equal those of a ``dict`` from token bytes to ids.

    Parameters
    ----------
    vocabulary:
        The tokens; token ``vocabulary[i]`` gets id ``i + 1`` (0 is unknown).
        When a token occurs twice, the later id wins, as in a ``dict``.

    Example
    -------
    >>> ids, lengths = ByteVocabulary(["film", "good"]).token_ids(["Good film!", ""])
    >>> ids.tolist(), lengths.tolist()
    ([2, 1, 0], [3, 0])
    """

    def __init__(self, vocabulary: Sequence[str]) -> None:
        short: dict[int, int] = {}
        medium: dict[tuple[int, int], int] = {}
        self._long: dict[bytes, int] = {}
        for i, token in enumerate(vocabulary):
            raw = token.encode("utf-8")
            producible = raw in (b"!", b"?") or (raw and not raw.translate(None, _WORD_BYTES))
            if len(raw) > SHORT:
                self._long[raw] = i + 1
                if producible and len(raw) <= 2 * SHORT:
                    medium[_word_key(raw[:SHORT]), _word_key(raw[SHORT:])] = i + 1
            elif producible:
                # only tokens the tokeniser can produce: a zero-padded word key is
                # exact for them (other tokens can never match any text anyway)
                short[_word_key(raw)] = i + 1
        self._table = KeyTable(np.fromiter(short.keys(), dtype=np.int64, count=len(short)))
        # ids by table position, plus a trailing 0 that position -1 (absent) picks
        self._short_ids = np.append(np.fromiter(short.values(), dtype=np.int64), 0)
        # 9..16-byte tokens: two exact words, found through a mix of both and
        # then compared word for word (a mix shared by two tokens is only a
        # candidate; the dict settles those)
        pairs = np.array(list(medium.keys()), dtype=np.int64).reshape(-1, 2)
        self._medium_words = pairs
        self._medium_ids = np.append(np.fromiter(medium.values(), dtype=np.int64), 0)
        self._medium_table = KeyTable(_mix(pairs[:, 0], pairs[:, 1]))
        self._masks = np.array(
            [(1 << (8 * n)) - 1 for n in range(SHORT)] + [(1 << 64) - 1], dtype=np.uint64
        )

    def token_ids(self, texts: Sequence[str]) -> tuple[IntArray, IntArray]:
        """Return all texts' token ids concatenated, and each text's token count."""
        parts = [text.lower().encode("utf-8", "replace") for text in texts]
        # zero bytes separate texts (class "separator") and pad the end
        joined = b"\x00".join(parts) + _PAD
        buf = np.frombuffer(joined, dtype=np.uint8)
        cls = _BYTE_CLASS[buf]
        word = cls == _WORD
        mark = cls == _MARK
        # a token starts at a mark or at a word byte after a non-word byte;
        # it ends after a mark or after a word byte before a non-word byte
        starts_at = mark.copy()
        starts_at[0] |= word[0]
        starts_at[1:] |= word[1:] & ~word[:-1]
        ends_at = mark
        ends_at[:-1] |= word[:-1] & ~word[1:]
        starts = np.flatnonzero(starts_at)
        sizes = np.flatnonzero(ends_at) + 1 - starts
        ids = self._ids(joined, starts, sizes)
        text_starts = np.zeros(len(parts), dtype=np.int64)
        if parts:
            np.cumsum(
                np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))[:-1] + 1,
                out=text_starts[1:],
            )
        owner = np.searchsorted(text_starts, starts, side="right") - 1
        lengths = np.bincount(owner, minlength=len(parts)).astype(np.int64)
        return ids, lengths

    def _ids(self, joined: bytes, starts: IntArray, sizes: IntArray) -> IntArray:
        windows = np.ndarray(
            shape=(len(joined) - SHORT + 1,), dtype="<u8", buffer=joined, strides=(1,)
        )
        words = windows[starts] & self._masks[np.minimum(sizes, SHORT)]
        ids = self._short_ids[self._table.lookup(words.view(np.int64))]
        longer = np.flatnonzero(sizes > SHORT)
        if not longer.size:
            return ids
        medium = longer[sizes[longer] <= 2 * SHORT]
        first = words[medium].view(np.int64)
        second = (windows[starts[medium] + SHORT] & self._masks[sizes[medium] - SHORT]).view(
            np.int64
        )
        found = self._medium_table.lookup(_mix(first, second))
        hit = found >= 0
        same = np.zeros(medium.size, dtype=bool)
        same[hit] = (self._medium_words[found[hit], 0] == first[hit]) & (
            self._medium_words[found[hit], 1] == second[hit]
        )
        ids[medium] = np.where(same, self._medium_ids[found], 0)
        # the rest: tokens over 16 bytes, and 9..16-byte ones whose mix was a
        # candidate but not the same token (absent ones are surely unknown)
        rest = np.concatenate([longer[sizes[longer] > 2 * SHORT], medium[hit & ~same]])
        if rest.size:
            get = self._long.get
            ids[rest] = [
                get(joined[s : s + n], 0)
                for s, n in zip(starts[rest].tolist(), sizes[rest].tolist(), strict=True)
            ]
        return ids


_MIX_MULTIPLIER = np.int64(-7046029254386353131)  # 0x9E3779B97F4A7C15 as int64


def _mix(first: IntArray, second: IntArray) -> IntArray:
    """One int64 from two (not unique: only a hash-table key for candidates)."""
    with np.errstate(over="ignore"):
        mixed: IntArray = (first * _MIX_MULTIPLIER) ^ second
    return mixed
