"""Proof of delivery: a photo or signature the driver's phone sends, judged by its bytes, not its name."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from wms_tms.core.errors import WmsInputError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40 MP photo; more is a decompression bomb, not a phone picture
FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


@dataclass(frozen=True)
class Proof:
	extension: str  # png | jpg | webp, from the content
	width: int
	height: int


def check_image(content: bytes, record: str = "proof") -> Proof:
	"""The content is a whole PNG, JPEG or WebP image of sane size; raises WmsInputError if not."""
	if not content:
		raise WmsInputError(record, "the proof is empty")
	if len(content) > MAX_BYTES:
		raise WmsInputError(record, "the proof image is larger than 5 MB")
	try:
		with Image.open(io.BytesIO(content)) as im:
			kind, (width, height) = im.format, im.size
			if kind not in FORMATS:
				raise WmsInputError(record, "the proof must be a png, jpg or webp image")
			if width * height > MAX_PIXELS:
				raise WmsInputError(record, "the proof image has too many pixels")
			im.verify()
	except WmsInputError:
		raise
	except Exception:  # Pillow raises many kinds for what is not an image, or a broken one
		raise WmsInputError(record, "the proof must be a png, jpg or webp image") from None
	return Proof(FORMATS[kind], width, height)
