"""What an operation is likely to cost: learned figures, else conservative defaults."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

EstimateSource = Literal["learned", "default", "plan"]


@dataclass(frozen=True, slots=True)
class CostEstimate:
    credits: float
    source: EstimateSource  # "plan": the plan makes it free (e.g. chat on paid plans until 2025-12-31)
    samples: int  # balance-change samples behind a learned figure
