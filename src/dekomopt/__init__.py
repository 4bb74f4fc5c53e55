"""dekomopt: distribution proposals and fairness analysis for Norway's competence grants."""

from importlib.metadata import PackageNotFoundError, version

from dekomopt.errors import DataError, DekomoptError, InfeasibleError, ScenarioError, SolverError

try:
    __version__ = version("dekomopt")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = [
    "DataError",
    "DekomoptError",
    "InfeasibleError",
    "ScenarioError",
    "SolverError",
    "__version__",
]
