"""Pictures of records drawn without Qt (Pillow + numpy), for the CLI's --png outputs."""
