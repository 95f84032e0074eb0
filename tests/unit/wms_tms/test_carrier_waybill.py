"""The express carrier client: its signature against a digest worked out by hand, its answers, and
a loopback carrier for address refusals, bad signatures and timeouts."""

import json
from decimal import Decimal as D

import pytest

from tests.unit.wms_tms.carrier_simulator import CarrierSimulator, reference_digest
from wms_tms.carriers.base import CarrierError, Party, WaybillRequest
from wms_tms.carriers.express_open import ExpressOpenClient, data_digest, encode_body, parse_answer

SENDER = Party("Demo Trading", "13800000000", "广东省", "广州市", "天河区", "天河路 1 号")
RECEIVER = Party("张三", "13900000000", "浙江省", "杭州市", "西湖区", "文三路 100 号")


def test_digest_is_base64_of_md5_of_body_then_secret():
	# worked out apart from the code: printf '%s' '{"partnerOrderCode":"DN-1"}abc' | openssl md5 -binary | base64
	assert data_digest(b'{"partnerOrderCode":"DN-1"}', "abc") == "kG8ARQaIOnwHvSjDrnLkkg=="
	# UTF-8 body and key: printf '%s' '{"a":"运单"}密钥' | openssl md5 -binary | base64
	body = encode_body({"a": "运单"})
	assert body == '{"a":"运单"}'.encode()  # compact, Chinese kept as UTF-8
	assert data_digest(body, "密钥") == "DR3HZfQW5VZOqNIK9sJBHQ=="


def test_answers_become_waybills_or_clear_errors():
	bill = parse_answer({"status": True, "code": "0", "result": {"billCode": "7730001", "sortCode": "300"}})
	assert (bill.tracking_no, bill.sort_code) == ("7730001", "300")
	cases = [
		({"status": False, "code": "S02", "message": "bad digest"}, "auth", False),
		({"status": False, "code": "A01", "message": "超区"}, "address", False),
		({"status": False, "code": "E99", "message": "busy"}, "carrier", True),
		({"status": True, "result": {"billCode": "<b>"}}, "carrier", True),
		({"status": True, "result": None}, "carrier", True),
		(["not", "an", "object"], "carrier", True),
	]
	for answer, kind, retryable in cases:
		with pytest.raises(CarrierError) as e:
			parse_answer(answer)
		assert (e.value.kind, e.value.retryable) == (kind, retryable), answer


def request(code="DN-0001", receiver=RECEIVER):
	return WaybillRequest(code, SENDER, receiver, D("2.300"), 1, "茶叶")


def test_a_waybill_from_the_loopback_carrier_signed_as_it_checks():
	with CarrierSimulator() as sim:
		client = ExpressOpenClient(sim.url, sim.app_key, sim.secret, "ACC-9", clock=lambda: 1764547200000)
		bill = client.create_waybill(request())
		assert bill.tracking_no == "773000000001" and bill.mark == "浙江省转运中心"
		(sent,) = sim.accepted
		assert sent["partnerOrderCode"] == "DN-0001" and sent["accountId"] == "ACC-9"
		assert sent["receiver"]["prov"] == "浙江省" and sent["parcel"]["weight"] == "2.300"
		assert sent["timestamp"] == 1764547200000
		# asked again for the same order: the same number, not a second parcel
		assert client.create_waybill(request()).tracking_no == "773000000001"
		assert client.create_waybill(request("DN-0002")).tracking_no == "773000000002"
		assert len(sim.accepted) == 2


def test_the_simulator_checks_digests_as_the_carrier_does():
	body = json.dumps({"partnerOrderCode": "X"}).encode()
	assert reference_digest(body, "k") == data_digest(body, "k")
	sim = CarrierSimulator()
	assert sim.answer(body, sim.app_key, "wrong")["code"] == "S02"
	assert sim.answer(body, "other-app", reference_digest(body, sim.secret))["code"] == "S01"


def test_refusals_and_timeouts_are_carrier_errors_never_tracebacks():
	with CarrierSimulator() as sim:
		wrong = ExpressOpenClient(sim.url, sim.app_key, "not-the-secret")
		with pytest.raises(CarrierError) as e:
			wrong.create_waybill(request())
		assert e.value.kind == "auth" and e.value.code == "S02" and not e.value.retryable

		client = ExpressOpenClient(sim.url, sim.app_key, sim.secret, timeout=(1.0, 0.3))
		sim.refuse_province("西藏")
		with pytest.raises(CarrierError) as e:
			client.create_waybill(request(receiver=Party("拉姆", "1390", "西藏自治区", "拉萨", "", "北京路")))
		assert e.value.kind == "address" and "超区" in str(e.value)
		with pytest.raises(CarrierError) as e:
			client.create_waybill(request(receiver=Party("李四", "", "浙江省", "杭州", "", "")))
		assert e.value.code == "A02"

		sim.hang(1, seconds=1.0)
		with pytest.raises(CarrierError) as e:
			client.create_waybill(request("DN-T"))
		assert e.value.kind == "timeout" and e.value.retryable
		assert client.create_waybill(request("DN-T")).tracking_no  # asked again: it works
	with pytest.raises(CarrierError) as e:  # the carrier is gone
		client.create_waybill(request("DN-U"))
	assert e.value.kind == "timeout"
	with pytest.raises(CarrierError, match="no API URL"):
		ExpressOpenClient("", "k", "s")
