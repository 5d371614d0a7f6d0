"""terraform-compliance's dialect on plangate's plan model: its feature files, run unchanged.

`run_features(features, plan, wip=False)` returns a `TcRun`; the `plangate tc` command and the
pytest plugin are thin wrappers around it.
"""

from plangate.tc.results import TcRun, TcScenario
from plangate.tc.runner import run_features

__all__ = ["TcRun", "TcScenario", "run_features"]
