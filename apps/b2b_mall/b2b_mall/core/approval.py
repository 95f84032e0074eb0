"""Which portal orders wait for an approver of the customer (plain Python, no Frappe)."""

ORDERER = "Orderer"
APPROVER = "Approver"
ROLES = (ORDERER, APPROVER)


def role_of(value: str | None) -> str:
	"""A Portal User row's role; a row without one (made before roles existed) orders."""
	return APPROVER if value == APPROVER else ORDERER


def needs_approval(total: float, threshold: float, buyer_role: str, approvers: int) -> bool:
	"""An order waits when the mall sets an amount (above 0), the order is above it, the buyer is
	not an approver themselves, and the customer has an approver to ask. A customer without
	approvers orders as before: nobody on their side could release the order."""
	if threshold <= 0 or total <= threshold:
		return False
	return role_of(buyer_role) != APPROVER and approvers > 0
