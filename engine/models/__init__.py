"""Model code, one family per file (nanoGPT is the bar): a `Config` dataclass and an `nn.Module`.

`transformer.py` holds the attention and encoder/decoder blocks every built-in transformer shares;
`hooks.py` the named hook points through which probes record what happens inside them.
"""
