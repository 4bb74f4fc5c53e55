"""The forum's distribution proposal: the record, how it is built, and its files.

``propose`` and ``propose_years`` (:mod:`~dekomopt.proposal.build`) make
:class:`~dekomopt.proposal.record.Proposal` records; ``write_proposal`` and
``read_previous`` (:mod:`~dekomopt.proposal.files`) write them and read last year's amounts.
"""

from dekomopt.proposal.build import propose, propose_years
from dekomopt.proposal.files import read_previous, write_proposal
from dekomopt.proposal.record import AlternativeSummary, Proposal, Provenance

__all__ = [
    "AlternativeSummary",
    "Proposal",
    "Provenance",
    "propose",
    "propose_years",
    "read_previous",
    "write_proposal",
]
