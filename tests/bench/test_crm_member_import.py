"""Member import on the site: a CSV with new members, duplicates (in the file and of customers
already on the site, found through their Contacts) and bad rows; the new members become Customers
with a primary Contact; every row not imported is on the form with its row number and reason."""

import io
import random

import frappe
import pytest
from frappe.utils import random_string
from openpyxl import Workbook


def attach(content: bytes, filename: str) -> str:
	f = frappe.get_doc(
		{"doctype": "File", "file_name": filename, "content": content, "is_private": 1}
	).insert(ignore_permissions=True)
	return f.file_url


def member_file(tag: str, known_phone: str) -> bytes:
	return (
		(
			"姓名,手机,邮箱,平台,买家ID\n"
			f"Mei {tag},+86 139 {known_phone[3:7]} 0001,mei-{tag}@example.com,,\n"  # 2: new
			f"Li {tag},139{known_phone[3:7]}0001,,,\n"  # 3: same phone as row 2
			f",13800000000,,,\n"  # 4: no name
			f"Bad {tag},12-AB,,,\n"  # 5: bad phone
			f"Known {tag},{known_phone},,,\n"  # 6: already a customer (Contact phone)
			f"Fan {tag},,,Taobao,fan_{tag}\n"  # 7: new by platform id
			f"Fan again {tag},,,taobao,FAN_{tag}\n"  # 8: same platform id as row 7
		).encode()
	)


@pytest.fixture
def known():
	phone = "139" + "".join(random.choices("0123456789", k=8))
	c = frappe.get_doc(
		{
			"doctype": "Customer",
			"customer_name": f"Known {random_string(5)}",
			"customer_type": "Individual",
			"mobile_no": phone,
		}
	).insert()
	return c.name, phone


def test_a_csv_creates_new_members_and_explains_every_other_row(known):
	customer, phone = known
	tag = random_string(6).lower()
	doc = frappe.get_doc(
		{"doctype": "CRM Member Import", "import_file": attach(member_file(tag, phone), "members.csv")}
	).insert()
	counts = doc.run_import()
	assert counts == {"created": 2, "duplicates": 3, "rejected": 2}
	doc.reload()
	assert doc.status == "Imported" and doc.total_rows == 7
	by_row = {r.row_no: r for r in doc.results}
	assert [r.row_no for r in doc.results] == [3, 4, 5, 6, 8, 2, 7]  # rows to look at first
	assert (by_row[3].outcome, by_row[3].reason) == ("Duplicate", "Same phone as row 2")
	assert (by_row[4].outcome, by_row[4].reason) == ("Rejected", "No name")
	assert by_row[5].outcome == "Rejected" and "not a phone number" in by_row[5].reason
	assert (by_row[6].outcome, by_row[6].customer) == ("Duplicate", customer)
	assert by_row[6].reason == f"Already a customer: {customer} (same phone)"
	assert (by_row[8].outcome, by_row[8].reason) == ("Duplicate", "Same platform id as row 7")

	mei = frappe.get_doc("Customer", by_row[2].customer)
	assert mei.customer_name == f"Mei {tag}" and mei.email_id == f"mei-{tag}@example.com"
	contact = frappe.get_doc("Contact", mei.customer_primary_contact)
	assert contact.mobile_no == f"139{phone[3:7]}0001"
	fan = frappe.db.get_value("Customer", by_row[7].customer, "th_crm_platform_id")
	assert fan == f"Taobao:fan_{tag}"

	# the same file again: everyone is now a duplicate of the customers just made
	again = frappe.get_doc(
		{"doctype": "CRM Member Import", "import_file": attach(member_file(tag, phone), "again.csv")}
	).insert()
	assert again.run_import()["created"] == 0
	with pytest.raises(frappe.ValidationError):
		again.run_import()  # imported already


def test_xlsx_and_an_unreadable_file():
	wb = Workbook()
	ws = wb.active
	ws.append(["Customer Name", "Mobile", "Email"])
	tag = random_string(6).lower()
	ws.append([f"Xl {tag}", None, f"xl-{tag}@example.com"])
	ws.append([f"Xl twin {tag}", None, f"XL-{tag}@Example.com"])
	buf = io.BytesIO()
	wb.save(buf)
	doc = frappe.get_doc(
		{"doctype": "CRM Member Import", "import_file": attach(buf.getvalue(), "members.xlsx")}
	).insert()
	assert doc.run_import() == {"created": 1, "duplicates": 1, "rejected": 0}

	bad = frappe.get_doc(
		{"doctype": "CRM Member Import", "import_file": attach(b"city\nParis\n", "cities.csv")}
	).insert()
	bad.run_import()
	bad.reload()
	assert bad.status == "Failed" and "no name column" in bad.error
	with pytest.raises(frappe.ValidationError):
		frappe.get_doc({"doctype": "CRM Member Import", "import_file": attach(b"x", "members.txt")}).insert()


def test_only_a_user_who_may_create_customers_can_import():
	from tests.bench.test_no_data_crosses_parties import system_user

	doc = frappe.get_doc(
		{"doctype": "CRM Member Import", "import_file": attach(b"name,phone\nA,13900000000\n", "m.csv")}
	).insert()
	frappe.set_user(system_user("Sales User"))
	with pytest.raises(frappe.PermissionError):
		frappe.get_doc("CRM Member Import", doc.name).run_import()
