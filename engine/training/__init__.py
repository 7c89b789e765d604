"""One trainer for every built-in model: tasks supply batches and losses, the trainer owns the loop."""
