"""factory-boy factories for online_crm's core: customers (as the audience sees them) and invoice facts."""

import datetime

import factory
import factory.random

from online_crm.core.audiences import Contactable
from online_crm.core.rfm import InvoiceFact

SEGMENT_NAMES = [
	"Champions",
	"Loyal",
	"Potential Loyalist",
	"New",
	"Promising",
	"Need Attention",
	"About to Sleep",
	"Can't Lose",
	"At Risk",
	"Hibernating",
	"Lost",
]
TAGS = ["wholesale", "retail", "tea", "coffee", "vip", "marketplace"]


class CustomerFactory(factory.Factory):
	"""A customer as a campaign sees them: segment, tags, last time we contacted them."""

	class Meta:
		model = Contactable

	customer = factory.Sequence(lambda n: f"CUST-{n:05d}")
	segment = factory.Iterator(SEGMENT_NAMES)
	tags = factory.LazyFunction(frozenset)

	class Params:
		contacted_days_ago = None
		tagged = factory.Trait(
			tags=factory.LazyFunction(lambda: frozenset(factory.random.randgen.sample(TAGS, 2)))
		)

	@factory.lazy_attribute
	def last_contacted(self):
		if self.contacted_days_ago is None:
			return None
		return datetime.date(2026, 11, 24) - datetime.timedelta(days=self.contacted_days_ago)


class InvoiceFactFactory(factory.Factory):
	"""One submitted Sales Invoice (or, with `credit_note=True`, a return) of one customer."""

	class Meta:
		model = InvoiceFact

	customer = factory.Sequence(lambda n: f"CUST-{n % 50:05d}")
	invoice = factory.Sequence(lambda n: f"SINV-{n:06d}")
	posting_date = factory.Faker(
		"date_between_dates", date_start=datetime.date(2026, 1, 1), date_end=datetime.date(2026, 11, 24)
	)
	net_amount = factory.Faker("pyfloat", min_value=1, max_value=5000, right_digits=2)
	is_return = False

	class Params:
		credit_note = factory.Trait(is_return=True, invoice=factory.Sequence(lambda n: f"SINV-RET-{n:06d}"))

	@classmethod
	def for_customer(cls, customer: Contactable | str, n: int, **kw) -> list[InvoiceFact]:
		name = customer.customer if isinstance(customer, Contactable) else customer
		return cls.build_batch(n, customer=name, **kw)
