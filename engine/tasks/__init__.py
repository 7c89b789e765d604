"""Training tasks, one module per trainable family (the contract: `engine/training/task.py`):
each supplies data, model and loss to the one trainer.

    word2vec.py    skip-gram / CBOW with negative sampling
    toy_mlp.py     the sine denoiser that checks a training setup
"""
