"""Churn follow-up: which warning deserves a task, what to suggest, and when it is the same warning.

* Only Medium and High warnings get a follow-up (Low means on rhythm).
* The suggested action, by level and value:
    High, and among the best spenders (M score 4–5)  → call   (a person's voice is worth it)
    High otherwise                                    → coupon (a win-back offer)
    Medium                                            → campaign (the next win-back mailing)
* A warning's key is (level, last purchase day). Recomputing the scores while nothing changed
  gives the same key, so no second task; a new purchase or a move from Medium to High is a new
  warning, and the earlier open task is superseded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

FOLLOW_UP_LEVELS = ("Medium", "High")
ACTIONS = {
	"call": "Call them: ask how things are going and what they need",
	"coupon": "Send a win-back coupon",
	"campaign": "Add them to the next win-back campaign",
}


@dataclass(frozen=True)
class FollowUp:
	customer: str
	key: str
	action: str  # one of ACTIONS
	priority: str  # ToDo priority: High / Medium


def suggested_action(level: str, m_score: int) -> str:
	if level == "High":
		return "call" if m_score >= 4 else "coupon"
	return "campaign"


def warning_key(level: str, last_purchase: date) -> str:
	return f"{level}:{last_purchase.isoformat()}"


def follow_up(
	customer: str, level: str | None, last_purchase: date | None, m_score: int, done_key: str | None
) -> FollowUp | None:
	"""The task to open for this warning, or None (no warning worth one, or this one already has one)."""
	if level not in FOLLOW_UP_LEVELS or last_purchase is None:
		return None
	key = warning_key(level, last_purchase)
	if key == (done_key or ""):
		return None
	return FollowUp(customer, key, suggested_action(level, m_score), "High" if level == "High" else "Medium")
