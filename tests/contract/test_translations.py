"""Every message our apps show through `_()` has a Chinese translation (the traders read Chinese)."""

import ast
import csv

import pytest

from tests.contract import checks


def messages(app: str) -> set[str]:
	found = set()
	for path in checks.iter_python_files(app):
		if "core" in path.parts:
			continue
		for node in ast.walk(ast.parse(path.read_text())):
			if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_" and node.args:
				arg = node.args[0]
				if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
					found.add(arg.value)
	return found


@pytest.mark.parametrize("app", checks.APPS)
def test_user_facing_messages_have_chinese(app):
	path = checks.app_package(app) / "translations" / "zh.csv"
	translated = {row[0] for row in csv.reader(path.open(encoding="utf-8")) if len(row) >= 2 and row[1]}
	missing = sorted(messages(app) - translated)
	assert missing == [], f"{app}: add to {path.name}: {missing}"


def test_the_cart_refusals_are_translated():
	import b2b_mall.core.cart as cart

	src = (checks.app_package("b2b_mall") / "core" / "cart.py").read_text()
	templates = {
		n.args[1].value
		for n in ast.walk(ast.parse(src))
		if isinstance(n, ast.Call)
		and getattr(n.func, "id", "") == "_problem"
		and isinstance(n.args[1], ast.Constant)
	}
	path = checks.app_package("b2b_mall") / "translations" / "zh.csv"
	translated = {row[0] for row in csv.reader(path.open(encoding="utf-8"))}
	assert templates and templates <= translated, sorted(templates - translated)
	assert cart.Problem("x", "{item}!", "A", (("item", "A"),)).message == "A!"
