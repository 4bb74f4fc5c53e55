"""Quiet highspy instances.

HiGHS prints its banner ("Running HiGHS … Copyright …") once per process, to stdout, the
first time an instance with logging on does anything; ``highspy.Highs()`` does something in
its own constructor, before ``output_flag`` can be set, and so does PuLP's HiGHS interface.
Writing the banner once on a bare instance that logs nowhere uses up that single showing.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import version

import highspy


@cache
def silence_banner() -> None:
    """Use up the process's one HiGHS banner without printing it."""
    # highspy._Highs is the C++ class without highspy's callback set-up, so its constructor
    # logs nothing; its setCallback writes the banner, here to no console and no file.
    sink = highspy._Highs()
    sink.setOptionValue("log_to_console", False)
    sink.setCallback(None, None)


def solver_name() -> str:
    """Solver name and version as recorded in results."""
    return f"HiGHS {version('highspy')} (highspy; PuLP {version('pulp')})"


def new_highs() -> highspy.Highs:
    """A highspy instance that prints nothing."""
    silence_banner()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h
