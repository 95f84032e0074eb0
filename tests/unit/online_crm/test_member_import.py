"""Member import: reading CSV/XLSX, normalising phones and e-mails, dedupe within the file and
against the site, every rejected row with its number and reason."""

import io

import pytest
from openpyxl import Workbook

from online_crm.core.members import FileError, keys_of, norm_email, norm_phone, plan, read_table


def test_phone_and_email_normalisation():
	assert norm_phone("+86 139-1234 5678") == "13912345678"
	assert norm_phone("0086 13912345678") == "13912345678"
	assert norm_phone("(020) 8123 4567") == "02081234567"
	assert norm_phone("12345") is None  # too short
	assert norm_phone("139abc45678") is None
	assert norm_email(" Mei@Example.COM ") == "mei@example.com"
	assert norm_email("mei@example") is None and norm_email("not an email") is None


CSV = (
	"姓名,手机,邮箱,平台,买家ID\n"
	"Mei Chen,+86 139 1234 5678,mei@example.com,,\n"  # 2: new
	"Wang Li,13912345678,,,\n"  # 3: same phone as row 2
	",13800000000,,,\n"  # 4: no name
	"Bad Phone,12-AB,,,\n"  # 5: bad phone
	",,,,\n"  # 6: blank line, skipped
	"Known,,known@example.com,,\n"  # 7: already a customer
	"Taobao Fan,,,Taobao,tea_lover\n"  # 8: new by platform id
	"Nobody,,,,\n"  # 9: nothing to recognise by
	"Fan Again,,,taobao,TEA_LOVER\n"  # 10: same platform id as row 8
	"Bad Mail,,mei@@example,,\n"  # 11
	"Orphan Id,,,,12345\n"  # 12: platform id without platform
)


def test_csv_plan_explains_every_row():
	rows = read_table("members.csv", ("\ufeff" + CSV).encode("utf-8"))
	assert [r["row"] for r in rows] == [2, 3, 4, 5, 7, 8, 9, 10, 11, 12]
	out = {o.row: o for o in plan(rows, {"email:known@example.com": "CUST-KNOWN"})}
	assert out[2].action == "create" and out[2].phone == "13912345678" and out[2].email == "mei@example.com"
	assert (out[3].action, out[3].reason) == ("duplicate", "same phone as row 2")
	assert (out[4].action, out[4].reason) == ("reject", "no name")
	assert out[5].action == "reject" and "not a phone number" in out[5].reason
	assert (out[7].action, out[7].duplicate_of) == ("duplicate", "CUST-KNOWN")
	assert out[7].reason == "already on the site as CUST-KNOWN (same e-mail)"
	assert out[8].action == "create" and out[8].keys == ["buyer:taobao:tea_lover"]
	assert out[9].reason == "no phone, e-mail or platform id to recognise the member by"
	assert (out[10].action, out[10].reason) == ("duplicate", "same platform id as row 8")
	assert out[11].action == "reject" and "not an e-mail address" in out[11].reason
	assert out[12].reason == "a platform id without its platform"


def test_gb18030_csv_as_chinese_excel_saves_it():
	rows = read_table("m.csv", "客户名称,电话\n张伟,13700000000\n".encode("gb18030"))
	assert rows == [{"row": 2, "name": "张伟", "phone": "13700000000"}]


def test_xlsx_rows_with_numeric_phones():
	wb = Workbook()
	ws = wb.active
	ws.append(["Name", "Mobile", "Email"])
	ws.append(["Ada", 13911112222, "ada@example.com"])
	ws.append([None, None, None])
	ws.append(["Bob", 13911112222.0, None])
	buf = io.BytesIO()
	wb.save(buf)
	rows = read_table("members.xlsx", buf.getvalue())
	assert [r["row"] for r in rows] == [2, 4]
	out = plan(rows, {})
	assert [o.action for o in out] == ["create", "duplicate"]
	assert out[1].reason == "same phone as row 2"


def test_whole_file_problems_are_refused_with_a_reason():
	with pytest.raises(FileError, match="no name column"):
		read_table("m.csv", b"phone\n139\n")
	with pytest.raises(FileError, match="no phone"):
		read_table("m.csv", b"name,city\nAda,Paris\n")
	with pytest.raises(FileError, match=".csv or .xlsx"):
		read_table("m.txt", b"name,phone\n")
	with pytest.raises(FileError, match="xlsx"):
		read_table("m.xlsx", b"not a zip")
	with pytest.raises(FileError, match="empty"):
		read_table("m.csv", b"")


def test_keys():
	assert keys_of("139", "a@b.co", "Taobao", "Nick") == ["phone:139", "email:a@b.co", "buyer:taobao:nick"]
