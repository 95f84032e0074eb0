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


def check_signature(content: bytes, record: str = "signature") -> Proof:
	"""A signature drawn on the phone's screen: a canvas exported as PNG, with ink on it.

	Judged like a photo (whole image, sane size), then it must be a PNG and not blank: at least one
	pixel that is neither transparent nor the same colour as the rest of the canvas.
	"""
	proof = check_image(content, record)
	if proof.extension != "png":
		raise WmsInputError(record, "the signature must be a png image")
	with Image.open(io.BytesIO(content)) as im:
		rgba = im.convert("RGBA")
		alpha_low, alpha_high = rgba.getchannel("A").getextrema()
		if alpha_high == 0:
			raise WmsInputError(record, "the signature is empty")
		# ink shows as pixels that differ from the background: opaque ones on a clear canvas, or
		# colour that varies on a filled one
		visible = rgba.convert("RGB") if alpha_low == 255 else None
		if visible is not None and all(lo == hi for lo, hi in visible.getextrema()):
			raise WmsInputError(record, "the signature is empty")
	return proof
