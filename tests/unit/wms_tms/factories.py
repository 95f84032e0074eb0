import factory

from wms_tms.core.routing import Stop, Vehicle


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
