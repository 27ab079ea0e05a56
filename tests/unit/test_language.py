"""The sentence encoder run with NumPy, its tokenizer, its install step and the meaning classifier.

The encoder's vectors were checked once against the reference implementation
(sentence-transformers on PyTorch: cosine 1.0000 on six sentences, identical
token ids); these tests keep what that check showed from drifting.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest

from bot.language import install
from bot.language.encoder import (
    EncoderMissing,
    SentenceEncoder,
    map_safetensor,
    read_safetensors,
    shared_encoder,
)
from bot.language.files import MODEL_DIR
from bot.language.risk_meaning import MeaningClassifier, reviewed_examples
from bot.language.wordpiece import WordPiece, basic_words

needs_model = pytest.mark.skipif(not install.installed(), reason="the sentence encoder is installed by `make install`")


def test_basic_words_split_punctuation_strip_accents_and_space_cjk():
    assert basic_words("Ça va? I'm FINE!!") == ["ca", "va", "?", "i", "'", "m", "fine", "!", "!"]
    assert basic_words("naïve\tcafé\u200b") == ["naive", "cafe"]
    assert basic_words("我很好") == ["我", "很", "好"]


def test_wordpiece_takes_the_longest_pieces_and_unknown_words_whole(tmp_path: Path):
    vocab = tmp_path / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "walk", "##ing", "##s", "group", "w"]))
    pieces = WordPiece(vocab)
    assert pieces.word_ids("walking") == [4, 5]
    assert pieces.word_ids("walks") == [4, 6]
    assert pieces.word_ids("wxyz") == [1]
    assert pieces.word_ids("w" * 101) == [1]
    assert pieces.encode("Walking group", max_tokens=8) == [2, 4, 5, 7, 3]
    assert pieces.encode("walking group walking group", max_tokens=4) == [2, 4, 5, 3]


def test_safetensors_reader_reads_shapes_and_types(tmp_path: Path):
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    b = np.array([1.5, -2.0], dtype=np.float16)
    body = a.tobytes() + b.tobytes()
    header = {
        "__metadata__": {"format": "pt"},
        "a": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
        "b": {"dtype": "F16", "shape": [2], "data_offsets": [24, 28]},
    }
    raw = json.dumps(header).encode()
    path = tmp_path / "t.safetensors"
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + body)
    tensors = read_safetensors(path)
    assert np.array_equal(tensors["a"], a)
    assert tensors["b"].dtype == np.float32 and list(tensors["b"]) == [1.5, -2.0]
    assert list(read_safetensors(path, lambda name: name == "b")) == ["b"], "only the tensors asked for"
    mapped = map_safetensor(path, "a")
    assert isinstance(mapped, np.memmap) and np.array_equal(mapped, a), "float32 is mapped from the file"
    with pytest.raises(ValueError):
        mapped[0, 0] = 9.0  # read-only: the file is never written
    widened = map_safetensor(path, "b")
    assert not isinstance(widened, np.memmap) and widened.dtype == np.float32, "float16 is read and widened"


def test_a_missing_model_says_how_to_install_it(tmp_path: Path):
    with pytest.raises(EncoderMissing, match="make install"):
        SentenceEncoder(tmp_path)
    assert not install.installed(tmp_path)


@needs_model
def test_vectors_are_unit_length_and_the_same_alone_or_batched():
    encoder = shared_encoder()
    texts = ["gardening and my grandchildren", "I'd be nervous going on my own", "ok"]
    batched = encoder.encode(texts)
    assert batched.shape == (3, 384)
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)
    for text, vector in zip(texts, batched, strict=True):
        assert np.allclose(encoder.encode_one(text), vector, atol=1e-5)


def _textbook_layers(encoder: SentenceEncoder, ids: np.ndarray) -> np.ndarray:
    """The six layers written out plainly, each step a new array, for one sentence without padding."""
    from scipy.special import erf

    x = encoder.embed(ids)
    length, width = ids.shape[1], x.shape[-1]
    head = width // encoder.heads

    def norm(y, weight, bias):
        mean = y.mean(axis=-1, keepdims=True)
        return (y - mean) / np.sqrt(((y - mean) ** 2).mean(axis=-1, keepdims=True) + encoder.eps) * weight + bias

    for qkv_w, qkv_b, out_w, out_b, norm1, in_w, in_b, ff_w, ff_b, norm2 in encoder.blocks:
        q, k, v = (
            p.reshape(1, length, encoder.heads, head).transpose(0, 2, 1, 3)
            for p in np.split(x @ qkv_w + qkv_b, 3, axis=-1)
        )
        scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(head))
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores = scores / scores.sum(axis=-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(1, length, width)
        x = norm(context @ out_w + out_b + x, *norm1)
        hidden = x @ in_w + in_b
        x = norm(0.5 * hidden * (1.0 + erf(hidden / np.sqrt(2.0))) @ ff_w + ff_b + x, *norm2)
    return x.mean(axis=1)


@needs_model
def test_the_in_place_forward_pass_gives_the_textbook_numbers_exactly():
    """`_forward` works in place to save allocations on a turn's one sentence; the numbers must not move."""
    encoder = shared_encoder()
    ids = np.asarray([encoder.token_ids("I have been feeling low since my husband died")])
    textbook = _textbook_layers(encoder, ids)
    assert np.array_equal(encoder.mean_states(["I have been feeling low since my husband died"]), textbook)


@needs_model
def test_meaning_is_closer_than_shared_words():
    """What the encoder is for: alike in meaning beats alike in words."""
    encoder = shared_encoder()
    anchor, same_meaning, same_words = encoder.encode(
        [
            "I want to end my life",
            "I do not want to be alive any more",
            "I want to end my phone contract",
        ]
    )
    assert anchor @ same_meaning > anchor @ same_words


@needs_model
def test_the_installed_weights_are_the_pinned_ones():
    assert install.sha256(MODEL_DIR / "model.safetensors") == install.WEIGHTS_SHA256
    assert "apache-2.0" in (MODEL_DIR / "README.md").read_text().lower()


def test_reviewed_examples_hold_both_kinds():
    examples = reviewed_examples()
    assert sum(label for _, label in examples) > 100
    assert sum(not label for _, label in examples) > 100


@needs_model
def test_meaning_classifier_learns_saves_and_loads(tmp_path: Path):
    examples = [
        ("I want to end my life", True),
        ("I have been cutting myself again", True),
        ("he hits me when he drinks", True),
        ("nobody would miss me if I was gone", True),
        ("I like walking the dog", False),
        ("my knees ache when I climb stairs", False),
        ("weekday mornings are best", False),
        ("I enjoy baking with my granddaughter", False),
        ("I am good at fixing bikes", False),
    ]
    classifier = MeaningClassifier.fit(examples, epochs=3, learning_rate=1e-4)
    classifier.save(tmp_path)
    loaded = MeaningClassifier.load(tmp_path)
    texts = ["I want to kill myself", "I like cooking"]
    assert np.allclose(classifier.scores(texts), loaded.scores(texts))
    risky, ordinary = loaded.scores(texts)
    assert risky > 0.5 > ordinary
    # Serving runs only the tuned layers: the encoder's own 42 MB of layers are never read.
    serving = SentenceEncoder()
    assert np.allclose(MeaningClassifier(loaded.reader, serving).scores(texts), loaded.scores(texts))
    assert "blocks" not in vars(serving)
    with pytest.raises(ValueError, match="both"):
        MeaningClassifier.fit([("a", True), ("b", True)])
