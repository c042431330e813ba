"""Replay a public interaction log through the engine and score its discover page.

``io`` reads the log (a generic CSV / TSV and adapters for MovieLens and KuaiRec /
KuaiRand), ``sandbox`` gives the run a database and a Redis of its own, ``run`` drives
the engine's services in time order with the clock moved, ``protocol`` decides which
(person, day) pairs are scored, ``baselines`` are the standard recommenders scored on the
same pairs, and ``metrics`` the figures. The command is ``manage.py replay``.
"""
