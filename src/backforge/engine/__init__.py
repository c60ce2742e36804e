"""Engine: the async scheduler over the unit DAG, retry policy, deadlines, events, report.

Knows only the protocols in `engine.protocols` (Provider, Validator, Sink),
never a concrete provider, validator or writer.
"""
