"""Reading meaning, not just words: a small pretrained sentence encoder and what is built on it.

Bag-of-words features only know the words they were trained on; a person who
says "I've swallowed every pill in the cupboard" uses none of them. A sentence
encoder trained on a billion sentence pairs places that message near the
disclosures we did write, so a classifier on its vectors generalises to wording
nobody here wrote.
"""
