"""The pieces of the training dashboard: the child process, the run form, the runs list,
the curves, the checkpoint watcher and the step slider (one file each)."""
