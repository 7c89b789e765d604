"""One module per `mlsp` command; each defines `register(subparsers)`."""
