"""Fine-tuning the sentence encoder's layers to read risk, at training time only.

Why: a classifier on the encoder's fixed sentence vectors (an RBF SVM, what this
replaced) cannot separate sentences whose vectors lie close together: "I can't
go on like this" from "I can't go on the bus alone", a plan from a memory, a
threat from a film. Training the six layers themselves on our labelled examples
and near-pairs moves those sentences apart. On the tuning set
(bench/risk/fresh.yml), at one false alarm in a hundred hard negatives, the
fine-tuned reader alone finds 76% of the disclosures where the SVM found 42%.

It runs inside `rasa train` with TensorFlow (Rasa's own dependency, so nothing
more to install), on the CPU: about 50 seconds an epoch for 3,600 examples on two
cores. Serving needs NumPy only: the tuned layers are plain arrays that
`SentenceEncoder.mean_states` runs in place of the model's own. The embeddings
stay as they were (frozen); a single logistic unit on the mean of the last
layer gives the probability of a disclosure. Weights are kept as float16 (21 MB
in the model archive) and the trained model is rounded to them at once, so the
scores the thresholds were chosen on are exactly the scores served.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from bot.language.encoder import BLOCK_PARTS, Block, SentenceEncoder

logger = logging.getLogger(__name__)

DROPOUT = 0.1
"""As in the encoder's own pre-training; the head's input gets it too."""
HEAD_LEARNING_RATE = 1e-3
"""The head starts from zero and has 385 weights: it may learn much faster than the layers."""
BATCH = 32
BUCKET = 256
"""Examples are shuffled, then sorted by length in runs of this many, so a batch pads little."""


def flatten(block: Block) -> list[np.ndarray]:
    """A layer as 12 arrays (each layer norm as its weight and bias)."""
    arrays: list[np.ndarray] = []
    for part in block:
        arrays += list(part) if isinstance(part, tuple) else [part]
    return arrays


def unflatten(arrays: Sequence[np.ndarray]) -> Block:
    qkv_w, qkv_b, out_w, out_b, g1, b1, in_w, in_b, ff_w, ff_b, g2, b2 = arrays
    return (qkv_w, qkv_b, out_w, out_b, (g1, b1), in_w, in_b, ff_w, ff_b, (g2, b2))


@dataclass(frozen=True)
class TunedReader:
    """The fine-tuned layers and the logistic head on their mean output."""

    blocks: list[Block]
    head_w: np.ndarray
    head_b: float

    def as_arrays(self) -> dict[str, np.ndarray]:
        arrays = {"head_w": self.head_w.astype(np.float16), "head_b": np.array([self.head_b], dtype=np.float16)}
        for i, block in enumerate(self.blocks):
            for name, array in zip(_array_names(), flatten(block), strict=True):
                arrays[f"layer{i}_{name}"] = array.astype(np.float16)
        return arrays

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> "TunedReader":
        layers = sorted({int(key[5:].split("_")[0]) for key in arrays if key.startswith("layer")})
        blocks = [
            unflatten([np.ascontiguousarray(arrays[f"layer{i}_{name}"], dtype=np.float32) for name in _array_names()])
            for i in layers
        ]
        return cls(blocks, arrays["head_w"].astype(np.float32), float(arrays["head_b"].astype(np.float32)[0]))

    def rounded(self) -> "TunedReader":
        """The reader as it will be stored and served (float16 weights)."""
        return TunedReader.from_arrays(self.as_arrays())


def _array_names() -> list[str]:
    names = []
    for part in BLOCK_PARTS:
        names += [f"{part}_w", f"{part}_b"] if part.startswith("norm") else [part]
    return names


def fine_tune(
    encoder: SentenceEncoder,
    examples: Sequence[tuple[str, bool]],
    *,
    epochs: int = 6,
    learning_rate: float = 4e-5,
    seed: int = 42,
    progress: Callable[[str], None] = logger.info,
) -> TunedReader:
    """Train a copy of the encoder's layers and a logistic head on (text, is a disclosure).

    The classes are balanced by weight (disclosures are about one example in four). Seeded: the
    same examples give the same reader on the same machine."""
    import tensorflow as tf  # training only: serving never imports TensorFlow

    labels = np.array([label for _, label in examples], dtype=np.float32)
    if len(set(labels.tolist())) < 2:
        raise ValueError("the risk reader needs both disclosures and other messages to learn from")
    random.seed(seed)
    tf.random.set_seed(seed)
    tokens = [encoder.token_ids(text) for text, _ in examples]

    variables = [[tf.Variable(np.array(a, dtype=np.float32)) for a in flatten(block)] for block in encoder.blocks]
    head_w = tf.Variable(np.zeros((encoder.word.shape[1], 1), dtype=np.float32))
    head_b = tf.Variable(np.zeros((1,), dtype=np.float32))
    layer_vars = [v for layer in variables for v in layer]
    layer_opt = tf.keras.optimizers.Adam(learning_rate)
    head_opt = tf.keras.optimizers.Adam(HEAD_LEARNING_RATE)
    heads, eps = encoder.heads, encoder.eps

    def norm(x, g, b):
        mean, var = tf.nn.moments(x, axes=[-1], keepdims=True)
        return (x - mean) / tf.sqrt(var + eps) * g + b

    def layer(x, bias, weights, training):
        qkv_w, qkv_b, out_w, out_b, g1, b1, in_w, in_b, ff_w, ff_b, g2, b2 = weights
        batch, length, width = tf.shape(x)[0], tf.shape(x)[1], x.shape[-1]
        size = width // heads
        qkv = tf.matmul(x, qkv_w) + qkv_b
        q, k, v = (
            tf.transpose(tf.reshape(t, [batch, length, heads, size]), [0, 2, 1, 3]) for t in tf.split(qkv, 3, -1)
        )
        attention = tf.nn.softmax(tf.matmul(q, k, transpose_b=True) / np.sqrt(size) + bias, axis=-1)
        context = tf.reshape(tf.transpose(tf.matmul(attention, v), [0, 2, 1, 3]), [batch, length, width])
        out = tf.matmul(context, out_w) + out_b
        x = norm((tf.nn.dropout(out, DROPOUT) if training else out) + x, g1, b1)
        ff = tf.matmul(tf.nn.gelu(tf.matmul(x, in_w) + in_b, approximate=False), ff_w) + ff_b
        return norm((tf.nn.dropout(ff, DROPOUT) if training else ff) + x, g2, b2)

    def logits(x, mask, training):
        bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        for weights in variables:
            x = layer(x, bias, weights, training)
        pooled = tf.reduce_sum(x * mask[:, :, None], 1) / tf.reduce_sum(mask, 1, keepdims=True)
        if training:
            pooled = tf.nn.dropout(pooled, DROPOUT)
        return tf.squeeze(tf.matmul(pooled, head_w) + head_b, -1)

    share = float(labels.mean())
    weight_yes, weight_no = 0.5 / share, 0.5 / (1.0 - share)

    @tf.function(reduce_retracing=True)
    def step(x, mask, y):
        with tf.GradientTape() as tape:
            weights = y * weight_yes + (1.0 - y) * weight_no
            loss = tf.reduce_mean(weights * tf.nn.sigmoid_cross_entropy_with_logits(y, logits(x, mask, True)))
        grads = tape.gradient(loss, layer_vars + [head_w, head_b])
        # TensorFlow's autograph rewrites zip() and its version takes no `strict`; the lengths match by construction.
        layer_opt.apply_gradients(zip(grads[: len(layer_vars)], layer_vars))  # noqa: B905
        head_opt.apply_gradients(zip(grads[len(layer_vars) :], [head_w, head_b]))  # noqa: B905
        return loss

    def embedded(chosen: list[int]) -> tuple[np.ndarray, np.ndarray]:
        length = max(len(tokens[i]) for i in chosen)
        x = np.zeros((len(chosen), length, encoder.word.shape[1]), dtype=np.float32)
        mask = np.zeros((len(chosen), length), dtype=np.float32)
        for row, i in enumerate(chosen):
            x[row, : len(tokens[i])] = encoder.embed(tokens[i])
            mask[row, : len(tokens[i])] = 1.0
        return x, mask

    order = list(range(len(examples)))
    for epoch in range(epochs):
        began = time.monotonic()
        random.shuffle(order)
        batches = []
        for start in range(0, len(order), BUCKET):
            run = sorted(order[start : start + BUCKET], key=lambda i: len(tokens[i]))
            batches += [run[b : b + BATCH] for b in range(0, len(run), BATCH)]
        random.shuffle(batches)
        total = 0.0
        for chosen in batches:
            x, mask = embedded(chosen)
            total += float(step(tf.constant(x), tf.constant(mask), tf.constant(labels[chosen])))
        progress(
            f"Fine-tuning the risk reader: epoch {epoch + 1} of {epochs}, "
            f"loss {total / len(batches):.4f}, {time.monotonic() - began:.0f} s."
        )
    blocks = [unflatten([v.numpy() for v in layer_weights]) for layer_weights in variables]
    return TunedReader(blocks, head_w.numpy()[:, 0], float(head_b.numpy()[0])).rounded()
