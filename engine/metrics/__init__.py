"""Metrics in one place, each a function of plain arrays or strings (no models, no training):

    analogy.py     3CosAdd analogy accuracy of word vectors, and the built-in analogy questions
    bleu.py        BLEU and chrF (sacrebleu), BLEU by source length, sentence BLEU
"""
