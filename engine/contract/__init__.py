"""The contract every model family meets, at the bottom of the engine (no torch at import):

    capabilities.py  Capability, InputKind, OutputKind: what a model declares it can do
    spec.py          ModelSpec (a registry entry), Declared, ModelRef (a parsed reference)
    registry.py      the registry's store: register, registry, get_spec, models_that_can
    loaded.py        LoadedModel, the base of every loaded model: capabilities, require, lock
    protocols.py     the methods behind each capability, as typing Protocols
"""
