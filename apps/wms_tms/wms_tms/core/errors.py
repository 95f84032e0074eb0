"""The one error the warehouse and delivery core raises for input it cannot use."""


class WmsInputError(ValueError):
	"""Bad input, with the record it concerns (a bin, a stop, a vehicle …) named in the message."""

	def __init__(self, record: str, reason: str):
		self.record = record
		self.reason = reason
		super().__init__(f"{record}: {reason}")
