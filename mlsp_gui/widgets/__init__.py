"""Reusable widgets, one per file (heatmaps, token strips, notices, ...). No torch imports."""
