"""The main window's docks: inputs (left), model and device (right), jobs (bottom)."""
