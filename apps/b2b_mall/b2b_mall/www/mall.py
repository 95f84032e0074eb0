from urllib.parse import urlencode

import frappe
import frappe.sessions
from frappe import _

from b2b_mall.api.cart import answer
from b2b_mall.core.catalogue import page_of
from b2b_mall.erp import account, cart, catalogue, orders

no_cache = 1


def texts() -> dict:
	"""The page script's sentences, in the buyer's language ({0}, {1} are filled in by the script)."""
	return {
		"search": _("Search by name, item code or barcode"),
		"all_groups": _("All groups"),
		"item": _("Item"),
		"price": _("Price"),
		"available": _("Available"),
		"min_order": _("Min. order"),
		"pack": _("Pack"),
		"quantity": _("Quantity"),
		"from_qty": _("from {0}: {1}"),
		"in_stock": _("In stock"),
		"low": _("Low stock"),
		"out": _("Out of stock"),
		"no_items": _("No items found."),
		"page_of": _("Page {0} of {1} ({2} items)"),
		"previous": _("Previous"),
		"next": _("Next"),
		"moq_hint": _("Minimum order {0}"),
		"pack_hint": _("Whole packs of {0}"),
		"below_moq": _("{0}: the minimum order is {1}, you asked for {2}."),
		"not_pack": _("{0}: sold in packs of {1}, you asked for {2}."),
		"cart_empty": _("The cart is empty."),
		"remove": _("Remove"),
		"total": _("Estimated total"),
		"order_placed": _("Order placed"),
		"waits_for_approval": _(
			"Order {0} is above the amount your company approves: it waits for an approver."
		),
		"approvals": _("Order Approvals"),
		"added": _("{0} lines added to the cart."),
		"loading": _("Loading…"),
		"cart_not_saved": _("The cart could not be saved: {0}"),
		"failed": _("Something went wrong; please try again."),
	}


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?" + urlencode({"redirect-to": "/mall"})
		raise frappe.Redirect
	context.title = _("B2B Mall")
	context.no_breadcrumbs = 1
	# a real CSRF token for this session: the page's frappe.csrf_token, which portal writes require
	frappe.sessions.get_csrf_token()
	user = frappe.session.user
	context.account = orders.account(user)
	context.groups = catalogue.groups()
	context.addresses = catalogue.addresses(user)
	context.recent_orders = catalogue.recent_orders(user)
	context.points = account.points_summary(user)
	size = catalogue.display().page_size
	context.mall = {
		# the first page comes with the page, so the buyer sees items without waiting for a request
		"first_page": catalogue.search(user, "", None, page_of(1, size)),
		"texts": texts(),
		"cart": answer(cart.view(user)),  # kept on the server: the same on every device of the buyer
		"user": user,
		"page_size": size,
		"delivery_date": str(context.account.delivery_date),
		"today": frappe.utils.nowdate(),
		"symbol": catalogue.symbol_of(context.account.currency),
	}
	return context
