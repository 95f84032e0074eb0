"""The driver app's pure parts: a signature drawn on the screen, map links per stop, action keys."""

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image, ImageDraw

from wms_tms.core import navigation
from wms_tms.core.errors import WmsInputError
from wms_tms.core.idempotency import record_name
from wms_tms.core.proof import check_signature


def canvas(mode="RGBA", fill=(0, 0, 0, 0), ink=True, fmt="PNG") -> bytes:
	im = Image.new(mode, (300, 140), fill)
	if ink:
		ImageDraw.Draw(im).line(
			[(20, 70), (120, 40), (200, 100)], fill=(17, 17, 17, 255)[: len(mode)], width=3
		)
	buf = io.BytesIO()
	im.save(buf, format=fmt)
	return buf.getvalue()


def test_a_signed_transparent_canvas_passes():
	assert check_signature(canvas()).extension == "png"


def test_a_signed_white_canvas_passes():
	assert check_signature(canvas("RGB", (255, 255, 255))).width == 300


@pytest.mark.parametrize(
	"content",
	[
		canvas(ink=False),  # a clear canvas nobody signed
		canvas("RGB", (255, 255, 255), ink=False),  # a white one
		canvas("RGB", (255, 255, 255), fmt="JPEG"),  # a photo, not the screen's PNG
		b"<svg onload=alert(1)>",
		b"",
	],
)
def test_blank_or_foreign_signatures_are_refused(content):
	with pytest.raises(WmsInputError):
		check_signature(content)


def test_links_by_coordinates_open_the_stop_in_each_map_app():
	links = navigation.links(23.1291, 113.324, "王美 & Co")
	assert links["geo"] == "geo:23.129100,113.324000?q=23.129100,113.324000(%E7%8E%8B%E7%BE%8E%20%26%20Co)"
	amap = urlsplit(links["amap"])
	q = parse_qs(amap.query)
	assert amap.netloc == "uri.amap.com" and q["to"] == ["113.324000,23.129100,王美 & Co"]
	assert q["coordinate"] == ["wgs84"] and q["mode"] == ["car"]
	baidu = parse_qs(urlsplit(links["baidu"]).query)
	assert baidu["destination"] == ["latlng:23.129100,113.324000|name:王美 & Co"]
	assert baidu["coord_type"] == ["wgs84"]


@pytest.mark.parametrize("place", [(None, None), (0, 0), (91, 10), ("x", 1), (float("nan"), 1)])
def test_without_a_place_the_links_search_the_address(place):
	links = navigation.links(*place, name="Shop", address="1 Test Road, Guangzhou")
	assert links["geo"] == "geo:0,0?q=1%20Test%20Road%2C%20Guangzhou"
	assert parse_qs(urlsplit(links["amap"]).query)["keyword"] == ["1 Test Road, Guangzhou"]
	assert parse_qs(urlsplit(links["baidu"]).query)["address"] == ["1 Test Road, Guangzhou"]


def test_no_place_and_no_address_gives_no_links():
	assert navigation.links(None, None) == {}


def test_action_keys_are_per_user_and_checked():
	key = "0b6c6f1e-8a51-4f43-9a33-0d7b2bb3f2c1"
	assert record_name("a@x", key) == record_name("a@x", key)
	assert record_name("a@x", key) != record_name("b@x", key)
	for bad in ["short", "x" * 65, "has space 123", "'; drop table--", None, 12345678]:
		with pytest.raises(WmsInputError):
			record_name("a@x", bad)
