import factory

from wms_tms.core.layout import Bin, Layout
from wms_tms.core.routing import Stop, Vehicle
from wms_tms.core.waves import Line, Order


class StopFactory(factory.Factory):
	"""A delivery stop within a few kilometres of the depot at (23.10, 113.30)."""

	class Meta:
		model = Stop

	id = factory.Sequence(lambda n: f"DN-{n:04d}")
	lat = factory.Faker("pyfloat", min_value=23.08, max_value=23.14)
	lng = factory.Faker("pyfloat", min_value=113.26, max_value=113.34)
	weight = 50.0
	volume = 0.2
	window = None
	service = 10.0


class VehicleFactory(factory.Factory):
	class Meta:
		model = Vehicle

	id = factory.Sequence(lambda n: f"VAN-{n}")
	max_weight = 1000.0
	max_volume = 8.0
	shift = 8 * 60


class LayoutFactory(factory.Factory):
	"""A single-block store with every position of every aisle stocked on the left side."""

	class Meta:
		model = Layout

	aisles = 8
	positions = 12
	blocks = 1
	position_pitch = 1.0
	aisle_pitch = 3.0
	cross_aisle_width = 2.0

	@factory.post_generation
	def stocked(obj, create, extracted, **kwargs):
		for block in range(obj.blocks):
			for a in range(1, obj.aisles + 1):
				for p in range(1, obj.positions + 1):
					obj.add(Bin(f"{block}-{a}-{p}", a, p, "L", 1, block))


class LineFactory(factory.Factory):
	class Meta:
		model = Line

	order = "SO-1"
	bin = factory.Sequence(lambda n: f"0-{n % 8 + 1}-{n % 12 + 1}")
	item = factory.Sequence(lambda n: f"ITEM-{n}")
	qty = 1.0


class OrderFactory(factory.Factory):
	class Meta:
		model = Order

	name = factory.Sequence(lambda n: f"SO-{n:04d}")
	lines = factory.LazyAttribute(lambda o: tuple(LineFactory.build_batch(3, order=o.name)))
	priority = 0
	cutoff = None
