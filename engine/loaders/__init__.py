"""Loaders of the built-in families: shipped weights or a training run folder -> a LoadedModel
(`engine.contract.loaded`) that probes can ask for what its registry entry declares.
Pretrained HuggingFace folders have their adapters in `engine.pretrained`."""
