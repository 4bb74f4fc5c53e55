"""The forum's distribution proposal: the record, how it is built, and its files.

``propose`` and ``propose_years`` (:mod:`~dekomopt.proposal.build`) make
:class:`~dekomopt.proposal.record.Proposal` records; ``write_proposal`` writes them and
``read_previous`` and ``read_previous_owners`` (:mod:`~dekomopt.proposal.files`) read last
year's amounts.
"""

from dekomopt.proposal.build import propose, propose_years
from dekomopt.proposal.files import read_previous, read_previous_owners, write_proposal
from dekomopt.proposal.record import Alternative, Proposal, Provenance

__all__ = [
    "Alternative",
    "Proposal",
    "Provenance",
    "propose",
    "propose_years",
    "read_previous",
    "read_previous_owners",
    "write_proposal",
]
