"""The scheme's rules, one object each: LP rows and bounds, whole-krone checks, words.

:data:`RULES` lists them in the order their rows appear in the LP and the rule table. Where
each rule lives: R1 :mod:`.r01_budget`, R2 (and the key's tolerance) :mod:`.r02_key`, R3
:mod:`.r03_uh_minimum`, R4 :mod:`.r04_cofinancing`, R5 :mod:`.r05_special_ed`, R7
:mod:`.r07_kindergarten`, R8 :mod:`.r08_participation` (its key side in
:mod:`~dekomopt.allocation.keys`), R9 :mod:`.r09_capacity`, R10 :mod:`.r10_stability`, R11
:mod:`.r11_needs`. R12's key weights are in :mod:`~dekomopt.allocation.keys`; R6 (set-asides)
is taken off the budget before allocation (:mod:`dekomopt.scenario.budget`); R13 (private
owners on the same terms) holds by construction: every owner is treated alike.
"""

from dekomopt.allocation.rules.base import Draws, Rule, Space, make_space
from dekomopt.allocation.rules.r01_budget import Budget
from dekomopt.allocation.rules.r02_key import Key
from dekomopt.allocation.rules.r03_uh_minimum import UhMinimum
from dekomopt.allocation.rules.r04_cofinancing import Cofinancing
from dekomopt.allocation.rules.r05_special_ed import SpecialEducation
from dekomopt.allocation.rules.r07_kindergarten import Kindergarten
from dekomopt.allocation.rules.r08_participation import Participation
from dekomopt.allocation.rules.r09_capacity import PartnerCapacity
from dekomopt.allocation.rules.r10_stability import Stability
from dekomopt.allocation.rules.r11_needs import Needs
from dekomopt.allocation.rules.tiebreak import TieBreaks

RULES: tuple[Rule, ...] = (
    Budget(),
    Key(),
    UhMinimum(),
    Cofinancing(),
    SpecialEducation(),
    Kindergarten(),
    Participation(),
    PartnerCapacity(),
    Stability(),
    Needs(),
)
"""R1–R11 in row order."""
TIE_BREAKS = TieBreaks()
BY_ID = {rule.id: rule for rule in RULES}

__all__ = ["BY_ID", "RULES", "TIE_BREAKS", "Draws", "Rule", "Space", "make_space"]
