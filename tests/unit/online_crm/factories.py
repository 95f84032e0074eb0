import datetime

import factory

from online_crm.core.rfm import InvoiceFact


class InvoiceFactFactory(factory.Factory):
	class Meta:
		model = InvoiceFact

	customer = factory.Sequence(lambda n: f"CUST-{n % 50:03d}")
	invoice = factory.Sequence(lambda n: f"SINV-{n:06d}")
	posting_date = factory.Faker(
		"date_between_dates", date_start=datetime.date(2026, 1, 1), date_end=datetime.date(2026, 11, 24)
	)
	net_amount = factory.Faker("pyfloat", min_value=1, max_value=5000, right_digits=2)
	is_return = False
