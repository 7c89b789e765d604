"""Adapters over HuggingFace `transformers` checkpoints; never needed by the built-in path."""
