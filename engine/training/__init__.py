"""One trainer for every built-in model: tasks supply batches and losses, the trainer owns the loop.

    task.py          the Task contract a model family implements (read this first)
    trainer.py       train(TrainRequest) -> TrainResult: settle, build, restore, run, report
    setup.py         TrainRequest, and every refusal before a run starts
    hparams.py       TrainHParams, --set over a config dataclass
    loop.py          the plain loop: five callback events, should_stop, micro-batches
    callbacks.py     step/eval events from the loop (loss averaged over log interval and ranks)
    checkpointing.py the checkpoint callback; capture/restore of the whole training state
    checkpoint.py    checkpoint folders on disk: atomic write, list, load, rotate
    runs.py          run folders: config.json, metrics.jsonl, status.json; list_runs
    events.py        the --json event schema; sinks.py: metrics.jsonl and the progress bar
    event_types.py   the events as typed records for readers: parse_event, event_dict
    batches.py, schedule.py, rng.py, distributed.py, tensor_tree.py, atomic.py, failures.py
    (tasks live in engine/tasks/, one module per trainable family)
"""
