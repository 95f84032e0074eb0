"""Driver input: the proof is an image by its bytes, the cash a finite amount above zero, at most what is due."""

import io
from decimal import Decimal

import pytest
from PIL import Image

from wms_tms.core.cod import cash_taken
from wms_tms.core.errors import WmsInputError
from wms_tms.core.proof import MAX_BYTES, check_image


def image(fmt: str, size=(8, 6)) -> bytes:
	buf = io.BytesIO()
	Image.new("RGB", size, (120, 130, 140)).save(buf, format=fmt)
	return buf.getvalue()


@pytest.mark.parametrize(("fmt", "ext"), [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")])
def test_real_images_pass_with_the_extension_of_their_content(fmt, ext):
	proof = check_image(image(fmt))
	assert (proof.extension, proof.width, proof.height) == (ext, 8, 6)


@pytest.mark.parametrize(
	"content",
	[
		b"",
		b"\x89PNG fake signature",  # a PNG signature and nothing behind it
		b"#!/bin/sh\nrm -rf /\n",
		b"<svg onload=alert(1)>",
		image("PNG")[:40],  # truncated
		image("GIF"),  # an image, but not one of ours
		image("BMP"),
	],
	ids=["empty", "png-magic-only", "script", "svg", "truncated", "gif", "bmp"],
)
def test_what_is_not_a_whole_png_jpg_or_webp_is_refused(content):
	with pytest.raises(WmsInputError):
		check_image(content)


def test_a_proof_over_5_mb_is_refused_before_it_is_decoded():
	with pytest.raises(WmsInputError, match="5 MB"):
		check_image(image("PNG") + b"\0" * MAX_BYTES)


@pytest.mark.parametrize(
	("typed", "expected"),
	[
		("12.5", Decimal("12.50")),
		(12.5, Decimal("12.50")),
		("30", Decimal("30.00")),
		("0.01", Decimal("0.01")),
	],
)
def test_cash_up_to_what_is_due(typed, expected):
	assert cash_taken(typed, 30) == expected


@pytest.mark.parametrize(
	"typed",
	[
		"nan",
		"NaN",
		float("nan"),
		"inf",
		"-inf",
		float("inf"),
		"Infinity",
		"-5",
		-5,
		"0",
		0,
		"",
		None,
		"abc",
		True,
		"30.01",
		31,
	],
)
def test_cash_that_is_no_finite_amount_above_zero_and_within_what_is_due_is_refused(typed):
	with pytest.raises(WmsInputError):
		cash_taken(typed, 30)
