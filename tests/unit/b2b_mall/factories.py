import factory

from b2b_mall.core.cart import CartLine, Credit, ItemFacts, PricedLine


class CartLineFactory(factory.Factory):
	class Meta:
		model = CartLine

	item_code = factory.Sequence(lambda n: f"ITEM-{n:04d}")
	qty = 10.0


class ItemFactsFactory(factory.Factory):
	class Meta:
		model = ItemFacts

	item_code = factory.Sequence(lambda n: f"ITEM-{n:04d}")
	sellable = True
	moq = 0.0


class PricedLineFactory(factory.Factory):
	class Meta:
		model = PricedLine

	item_code = factory.Sequence(lambda n: f"ITEM-{n:04d}")
	qty = 10.0
	rate = 5.0
	amount = factory.LazyAttribute(lambda o: o.qty * o.rate)


class CreditFactory(factory.Factory):
	class Meta:
		model = Credit

	limit = 0.0
	outstanding = 0.0
