"""The verifier: a catalogue of small registered rules that check a record against itself.

``run_rules(report, document)`` runs them; ``catalogue()`` lists them. Importing this package
imports every rule module, and each rule registers itself where it is defined.
"""

from __future__ import annotations

from . import budget, document, grade, headcount, indicators, ocr, restated, shares, sums  # noqa: F401  (registration)
from .registry import RuleContext, RuleInfo, catalogue, get_rule, rule, run_rules, selected_rules, sort_findings

__all__ = ["RuleContext", "RuleInfo", "catalogue", "get_rule", "rule", "run_rules", "selected_rules", "sort_findings"]
