"""Settlement files (issue 16): the platforms' own payout data → settlement lines and the file's totals.

Fixtures in settlement_files/ are written from the providers' public documentation: an Alipay
账务明细 (GBK, '#' header and footer, yuan), a Stripe payout reconciliation CSV as a WooCommerce
seller exports it, and a Shopify Payments payout with its balance transactions (REST Admin API)."""

import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omni_channel.channels.base import RetryPolicy
from omni_channel.channels.shopify.client import ShopifyClient
from omni_channel.core.errors import ChannelInputError
from omni_channel.core.money import reconcile
from omni_channel.core.settlement_files import SettlementFileError, amount, decode, parse

FILES = Path(__file__).parent / "settlement_files"


def raw(name: str) -> bytes:
	return (FILES / name).read_bytes()


def alipay_text() -> str:
	return raw("alipay_account_statement.csv").decode("gbk")


def problems_of(fmt: str, content) -> dict[int, str]:
	with pytest.raises(SettlementFileError) as e:
		parse(fmt, content)
	return {p.line: p.reason for p in e.value.problems}


# ---------------------------------------------------------------- Alipay 账务明细


def test_alipay_bill_is_read_from_gbk_with_its_orders_fees_and_totals():
	data = raw("alipay_account_statement.csv")
	with pytest.raises(UnicodeDecodeError):
		data.decode("utf-8")  # the fixture really is GBK, as Alipay writes it
	f = parse("alipay", data)
	assert f.currency == "CNY" and f.period_end.isoformat() == "2026-11-30"
	assert f.statement_id == "ALIPAY-2088912045670156-2026-11-23-2026-11-30"
	got = [(ln.line, ln.order_id, ln.kind, ln.amount) for ln in f.lines]
	assert got == [
		(6, "3301234567890123", "sale", Decimal("90.00")),
		(7, "3301234567890456", "sale", Decimal("60.00")),
		(8, "3301234567890123", "commission", Decimal("-4.50")),
		(9, "3301234567890456", "payment_fee", Decimal("-0.60")),
		(10, "3301234567890456", "refund", Decimal("-20.00")),
		(11, "20261126200040011100560012340006", "service_fee", Decimal("-30.00")),  # names no order
	]
	# the withdrawal to the bank is the payout, not a line; the footer's totals are the rows'
	assert f.totals == {
		"income": Decimal("150.00"),
		"expense": Decimal("-145.10"),
		"withdrawn": Decimal("90.00"),
	}
	assert f.net == f.payout == Decimal("94.90")
	assert f.totals["income"] + f.totals["expense"] == f.net - f.totals["withdrawn"]
	assert "软件服务费" in f.lines[-1].memo


def test_alipay_bill_saved_as_utf8_reads_the_same():
	assert parse("alipay", alipay_text().encode("utf-8-sig")) == parse(
		"alipay", raw("alipay_account_statement.csv")
	)


def test_alipay_footer_that_disagrees_with_the_rows_is_refused_at_its_line():
	text = alipay_text().replace("#支出：5笔，共145.10元", "#支出：5笔，共145.00元")
	probs = problems_of("alipay", text.encode("gbk"))
	assert list(probs) == [16] and "145.00" in probs[16] and "145.10" in probs[16]


def test_alipay_malformed_rows_are_all_listed_by_line_and_nothing_is_returned():
	lines = alipay_text().split("\r\n")
	lines[5] = lines[5].replace("\t,90.00\t,\t,90.00", "\t,九十\t,\t,90.00")  # line 6: not an amount
	lines[6] = lines[6].replace("2026-11-23 14:40:51", "yesterday")  # line 7: not a date
	lines[7] = lines[7].replace("\t,\t,-4.50", "\t,4.50\t,-4.50")  # line 8: both income and expense
	lines[9] = (
		lines[9].replace("T200P3301234567890456", "").replace("淘宝订单号3301234567890456", "")
	)  # line 10
	lines[10] = lines[10].rsplit(",", 3)[0]  # line 11: fields missing
	probs = problems_of("alipay", "\r\n".join(lines).encode("gbk"))
	assert sorted(probs) == [6, 7, 8, 10, 11, 15, 16], probs  # and the footer's totals no longer hold
	assert "九十" in probs[6]
	assert "发生时间" in probs[7]
	assert "both" in probs[8]
	assert "no order number" in probs[10]
	assert "fields" in probs[11]


def test_alipay_without_the_column_header_is_refused():
	text = "\r\n".join(ln for ln in alipay_text().split("\r\n") if not ln.startswith("账务流水号"))
	probs = problems_of("alipay", text.encode("gbk"))
	assert 5 in probs and "header lacks" in probs[5]


# ---------------------------------------------------------------- Stripe (WooCommerce)


def test_stripe_payout_reconciliation_gives_sales_fees_refunds_and_the_payout():
	f = parse("stripe", raw("stripe_payout_reconciliation.csv"))
	assert (f.statement_id, f.currency, f.period_end.isoformat()) == (
		"po_1QhT7kLm2nOpQr3s",
		"USD",
		"2026-11-27",
	)
	got = [(ln.line, ln.order_id, ln.kind, ln.amount) for ln in f.lines]
	assert got == [
		(2, "4101", "sale", Decimal("120.00")),
		(2, "4101", "payment_fee", Decimal("-3.78")),
		(3, "4102", "sale", Decimal("45.50")),
		(3, "4102", "payment_fee", Decimal("-1.62")),
		(4, "4101", "refund", Decimal("-20.00")),  # the order is in refund_metadata
		(5, "du_1QfD04LmNoPq1004", "adjustment", Decimal("-30.00")),  # a dispute names no order
	]
	assert f.payout == f.net == f.totals["net"] == Decimal("110.10")
	assert f.totals["gross"] + f.totals["fee"] == f.totals["net"]


def test_stripe_balance_export_with_type_amount_and_a_payout_row():
	csv_text = (
		"id,Type,Source,Amount,Fee,Net,Currency,Created (UTC),Description,order_id (metadata)\n"
		"txn_1,charge,ch_1,50.00,1.75,48.25,eur,2026-11-20 10:00,Shop - Order 77,77\n"
		'txn_2,charge,ch_2,"1,200.00",35.10,"1,164.90",eur,2026-11-21 11:00,"Shop - Order 78",\n'
		"txn_3,payout,po_9,-1213.15,0.00,-1213.15,eur,2026-11-22 02:00,STRIPE PAYOUT,\n"
	)
	f = parse("stripe", csv_text.encode())
	assert f.statement_id == "po_9" and f.currency == "EUR" and f.period_end.isoformat() == "2026-11-22"
	assert [(ln.order_id, ln.kind, ln.amount) for ln in f.lines] == [
		("77", "sale", Decimal("50.00")),
		("77", "payment_fee", Decimal("-1.75")),
		("78", "sale", Decimal("1200.00")),  # the order from the description
		("78", "payment_fee", Decimal("-35.10")),
	]
	assert f.payout == f.totals["payout"] == f.net == Decimal("1213.15")


def test_stripe_bad_rows_are_listed_with_their_line_numbers():
	lines = raw("stripe_payout_reconciliation.csv").decode().splitlines()
	lines[1] = lines[1].replace(",116.22,", ",116.20,")  # net ≠ gross − fee
	lines[2] = lines[2].replace(",4102,", ",,").replace("Order 4102", "a sale")  # a charge without an order
	lines[3] = lines[3].replace(",-20.00,0.00,-20.00,", ",abc,0.00,-20.00,")
	probs = problems_of("stripe", "\n".join(lines).encode())
	assert sorted(probs) == [2, 3, 4]
	assert "116.20" in probs[2] and "names no order" in probs[3] and "abc" in probs[4]


def test_stripe_file_of_two_payouts_is_refused():
	text = raw("stripe_payout_reconciliation.csv").decode()
	last = text.rstrip("\n").rsplit("\n", 1)
	text = last[0] + "\n" + last[1].replace("po_1QhT7kLm2nOpQr3s", "po_other") + "\n"
	assert 0 in problems_of("stripe", text.encode())


# ---------------------------------------------------------------- Shopify Payments


def test_shopify_payout_and_its_balance_transactions():
	f = parse("shopify", raw("shopify_payout.json"))
	assert (f.statement_id, f.currency, f.period_end.isoformat()) == ("512467833", "USD", "2026-11-27")
	got = [(ln.line, ln.order_id, ln.kind, ln.amount) for ln in f.lines]
	assert got == [
		(22, "880101", "sale", Decimal("90.00")),
		(22, "880101", "payment_fee", Decimal("-2.91")),
		(38, "880102", "sale", Decimal("45.00")),
		(38, "880102", "payment_fee", Decimal("-1.61")),
		(54, "880101", "refund", Decimal("-10.00")),
		(70, "1120004", "adjustment", Decimal("-15.00")),
	]
	assert f.payout == f.net == f.totals["payout"] == Decimal("105.48")


def test_shopify_bad_transactions_are_listed_at_the_line_where_they_begin():
	doc = json.loads(raw("shopify_payout.json"))
	doc["transactions"][0]["net"] = "87.00"
	doc["transactions"][2]["source_order_id"] = None
	doc["transactions"][3]["currency"] = "CAD"
	text = json.dumps(doc, indent=2)
	probs = problems_of("shopify", text.encode())
	starts = [i + 1 for i, ln in enumerate(text.splitlines()) if ln == "    {"]
	assert [starts[0], starts[2], starts[3]] == sorted(p for p in probs if p in starts)
	assert "87.00" in probs[starts[0]] and "source_order_id" in probs[starts[2]] and "CAD" in probs[starts[3]]


def test_shopify_payout_whose_transactions_do_not_add_up_is_refused():
	doc = json.loads(raw("shopify_payout.json"))
	doc["payout"]["amount"] = "100.00"
	doc["transactions"][-1]["amount"] = doc["transactions"][-1]["net"] = "-100.00"
	probs = problems_of("shopify", json.dumps(doc, indent=2).encode())
	assert any("add up to 105.48" in r for r in probs.values())


def test_shopify_summary_that_disagrees_is_refused_at_the_summary():
	doc = json.loads(raw("shopify_payout.json"))
	doc["payout"]["summary"]["charges_fee_amount"] = "4.00"
	text = json.dumps(doc, indent=2)
	probs = problems_of("shopify", text.encode())
	summary_line = next(i + 1 for i, ln in enumerate(text.splitlines()) if '"summary"' in ln)
	assert list(probs) == [summary_line] and "4.52" in probs[summary_line]


def test_not_json_is_refused_with_the_line():
	probs = problems_of("shopify", b'{"payout": {\n  "id": 1,\n  oops\n}')
	assert list(probs) == [3]


class _Shopify(BaseHTTPRequestHandler):
	"""A Shopify Payments API of one payout whose transactions come two to a page."""

	pages = [[], [], []]
	seen: list[dict] = []

	def log_message(self, *a):
		pass

	def do_GET(self):
		url = urlsplit(self.path)
		q = {k: v[0] for k, v in parse_qs(url.query).items()}
		type(self).seen.append({"path": url.path, **q})
		headers = {}
		if url.path.endswith("/payouts/512467833.json"):
			body = {"payout": json.loads(raw("shopify_payout.json"))["payout"]}
		elif url.path.endswith("/balance/transactions.json"):
			page = int(q.get("page_info", "0"))
			body = {"transactions": self.pages[page]}
			if page + 1 < len(self.pages):
				headers["Link"] = (
					f'<http://{self.headers["Host"]}{url.path}?limit=2&page_info={page + 1}>; rel="next"'
				)
		else:
			self.send_response(404)
			self.end_headers()
			return
		data = json.dumps(body).encode()
		self.send_response(200)
		self.send_header("Content-Type", "application/json")
		for k, v in headers.items():
			self.send_header(k, v)
		self.send_header("Content-Length", str(len(data)))
		self.end_headers()
		self.wfile.write(data)


def test_shopify_client_pages_the_payout_transactions_by_link_cursor():
	txs = json.loads(raw("shopify_payout.json"))["transactions"]
	_Shopify.pages, _Shopify.seen = [txs[:2], txs[2:4], txs[4:]], []
	server = ThreadingHTTPServer(("127.0.0.1", 0), _Shopify)
	threading.Thread(target=server.serve_forever, daemon=True).start()
	try:
		c = ShopifyClient(
			f"http://127.0.0.1:{server.server_port}", "tok", "acme", retry=RetryPolicy(max_attempts=1)
		)
		got = c.payout_with_transactions(512467833, limit=2)
	finally:
		server.shutdown()
	assert got["transactions"] == txs and got["payout"]["id"] == 512467833
	pages = [s for s in _Shopify.seen if s["path"].endswith("transactions.json")]
	assert pages[0]["payout_id"] == "512467833" and [p.get("page_info") for p in pages] == [None, "1", "2"]
	assert parse("shopify", json.dumps(got)).payout == Decimal("105.48")


# ---------------------------------------------------------------- all formats


@pytest.mark.parametrize(
	"fmt,name",
	[
		("alipay", "alipay_account_statement.csv"),
		("stripe", "stripe_payout_reconciliation.csv"),
		("shopify", "shopify_payout.json"),
	],
)
def test_each_format_reconciles_to_its_payout_and_books_balanced(fmt, name):
	f = parse(fmt, raw(name))
	rec = reconcile(f.statement("shop"), {})
	assert sum(a.debit for a in rec.lines) == sum(a.credit for a in rec.lines)
	assert sum(rec.net_by_order.values()) == f.payout
	assert not [v for v in rec.variances if v.kind == "payout"], "the lines add up to what was paid out"
	assert {v.kind for v in rec.variances} == {"unknown_order"}, "no order is known yet: each is listed"


def test_the_wrong_format_or_an_unknown_one_is_refused():
	with pytest.raises(SettlementFileError):
		parse("stripe", raw("shopify_payout.json"))
	with pytest.raises(SettlementFileError):
		parse("shopify", raw("stripe_payout_reconciliation.csv"))
	with pytest.raises(SettlementFileError):
		parse("alipay", raw("stripe_payout_reconciliation.csv"))
	with pytest.raises(ChannelInputError):
		parse("paypal", b"")


def test_amounts_as_files_print_them():
	assert amount("1,234.50") == Decimal("1234.50")
	assert amount("`-4.5\t") == Decimal("-4.5")
	for bad in ("", "1.234", "1,23.00", "12a", "NaN", "1e3"):
		with pytest.raises(ValueError):
			amount(bad)


def test_neither_utf8_nor_gbk_is_refused():
	with pytest.raises(SettlementFileError):
		decode(b"\x81\x30\xff\xff")


cents = st.integers(min_value=1, max_value=10_000_000).map(lambda n: Decimal(n) / 100)


@settings(max_examples=60, deadline=None)
@given(
	st.lists(
		st.tuples(cents, st.integers(0, 300).map(lambda n: Decimal(n) / 100), st.booleans()),
		min_size=1,
		max_size=12,
	)
)
def test_stripe_totals_are_the_sum_of_the_lines(rows):
	out = [
		"balance_transaction_id,automatic_payout_id,created_utc,currency,gross,fee,net,reporting_category,payment_metadata[order_id]"
	]
	for i, (gross, fee, refund) in enumerate(rows):
		g = -gross if refund else gross
		out.append(
			f"txn_{i},po_1,2026-11-2{i % 9} 10:00:00,usd,{g:.2f},{fee:.2f},{g - fee:.2f},{'refund' if refund else 'charge'},{1000 + i}"
		)
	f = parse("stripe", "\n".join(out).encode())
	assert f.net == f.payout == f.totals["net"] == sum((g if not r else -g) - fee for g, fee, r in rows)
	assert f.by_kind().get("payment_fee", Decimal(0)) == -sum(fee for _g, fee, _r in rows)


@settings(max_examples=60, deadline=None)
@given(
	st.lists(
		st.tuples(cents, st.booleans(), st.sampled_from(["在线支付", "交易退款", "收费"])),
		min_size=1,
		max_size=12,
	)
)
def test_alipay_footer_totals_are_the_sum_of_the_rows_in_gbk(rows):
	head = [
		"#支付宝账务明细查询",
		"#账号：[2088000000000001]",
		"账务流水号,商户订单号,发生时间,收入金额（+元）,支出金额（-元）,业务类型,备注,业务描述",
	]
	body, inc, exp, n_inc, n_exp = [], Decimal(0), Decimal(0), 0, 0
	for i, (amt, income, kind) in enumerate(rows):
		income = income and kind == "在线支付"
		money = f"{amt:.2f},," if income else f",-{amt:.2f},"
		body.append(
			f"{9000 + i},T200P{330000000 + i},2026-11-2{i % 9} 08:00:00,{money}{kind},佣金,订单号{330000000 + i}"
		)
		if income:
			inc, n_inc = inc + amt, n_inc + 1
		else:
			exp, n_exp = exp + amt, n_exp + 1
	foot = [f"#收入：{n_inc}笔，共{inc:.2f}元", f"#支出：{n_exp}笔，共{exp:.2f}元"]
	f = parse("alipay", "\r\n".join(head + body + foot).encode("gbk"))
	assert f.net == f.payout == inc - exp == f.totals["income"] + f.totals["expense"]
	assert [ln.line for ln in f.lines] == list(range(4, 4 + len(rows)))
	assert all(ln.order_id == str(330000000 + ln.line - 4) for ln in f.lines)
