"""``charter learn``: guards proposed from what went wrong, each back-tested on history.

Deterministic, no model: fix commits (``fixes.py``), escaped violations of a simulator
run (``escaped.py``) and what already holds (``charter init``'s inference) become
``proposed`` decision records (``render.py``) with their evidence and their back-test
(``backtest.py``): adopted when they could first have been written, judged on the
history after that point.
"""
