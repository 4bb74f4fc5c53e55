"""Alternative region structures: exact enumeration of contiguous partitions and ReCom chains."""

from dekomopt.structures.diagnostics import (
    ChainDiagnostics,
    MetricDiagnostics,
    canonical_labels,
    cut_edge_counts,
    diagnose,
    distinct_share,
    ess,
    max_part_weights,
    part_weights,
    split_rhat,
)
from dekomopt.structures.graphio import partitions_command, read_edges_csv, read_weights_csv
from dekomopt.structures.partitions import (
    PartitionCount,
    closest_balance,
    count_partitions,
    enumerate_partitions,
)
from dekomopt.structures.recom import ChainResult, log_tree_weights, recom_chain, run_chains

__all__ = [
    "ChainDiagnostics",
    "ChainResult",
    "MetricDiagnostics",
    "PartitionCount",
    "canonical_labels",
    "closest_balance",
    "count_partitions",
    "cut_edge_counts",
    "diagnose",
    "distinct_share",
    "enumerate_partitions",
    "ess",
    "log_tree_weights",
    "max_part_weights",
    "part_weights",
    "partitions_command",
    "read_edges_csv",
    "read_weights_csv",
    "recom_chain",
    "run_chains",
    "split_rhat",
]
