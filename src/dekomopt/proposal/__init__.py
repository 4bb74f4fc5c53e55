"""The forum's distribution proposal: the record, how it is built, and its files.

``propose`` and ``propose_years`` (:mod:`~dekomopt.proposal.build`) make
:class:`~dekomopt.proposal.record.Proposal` records; ``write_proposal``
(:mod:`~dekomopt.proposal.files`) writes them. Last year's amounts are read with the county
(:mod:`dekomopt.scenario.previous`).
"""

from dekomopt.proposal.build import propose, propose_years
from dekomopt.proposal.files import write_proposal
from dekomopt.proposal.record import Alternative, Proposal, Provenance

__all__ = [
    "Alternative",
    "Proposal",
    "Provenance",
    "propose",
    "propose_years",
    "write_proposal",
]
