"""Projections of embeddings for the projector: PCA, t-SNE, UMAP, nearest neighbours.

Every long computation takes a small state handle (`progress(fraction, message)`,
`cancelled()`) — the GUI's JobState fits it, `progress.NullState` is the default — and raises
`progress.Cancelled` when asked to stop. Numpy only; no Qt and no torch.
"""
