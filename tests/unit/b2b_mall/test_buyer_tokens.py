"""Signed invitation and QR-login tokens, and which orders wait for an approver (core, no Frappe)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b2b_mall.core import tokens
from b2b_mall.core.approval import APPROVER, ORDERER, needs_approval, role_of

KEY = tokens.derive_key("site-secret", "invite")
NOW = 1_800_000_000


def reason(key, kind, token, now=NOW) -> str:
	with pytest.raises(tokens.TokenRefused) as e:
		tokens.verify(key, kind, token, now)
	return e.value.reason


def test_a_signed_token_verifies_to_its_id_and_expiry():
	tok = tokens.sign(KEY, "invite", "a1b2c3d4e5", NOW + 60)
	assert tokens.verify(KEY, "invite", tok, NOW) == tokens.Token("invite", "a1b2c3d4e5", NOW + 60)


def test_expired_at_and_after_its_expiry():
	tok = tokens.sign(KEY, "invite", "a1b2c3d4e5", NOW + 60)
	assert reason(KEY, "invite", tok, NOW + 60) == "expired"
	assert reason(KEY, "invite", tok, NOW + 3600) == "expired"


def test_every_changed_part_is_tampering():
	tok = tokens.sign(KEY, "invite", "a1b2c3d4e5", NOW + 60)
	kind, id_, exp, sig = tok.split(".")
	assert reason(KEY, "invite", f"{kind}.a1b2c3d4e6.{exp}.{sig}") == "tampered"  # another invitation
	assert reason(KEY, "invite", f"{kind}.{id_}.{int(exp) + 86400}.{sig}") == "tampered"  # a later expiry
	assert reason(KEY, "invite", f"{kind}.{id_}.{exp}.{sig[:-1]}A") == "tampered"
	# a QR-login token is not an invitation, and another site's key signs nothing here
	assert reason(KEY, "invite", tokens.sign(KEY, "qrlogin", id_, NOW + 60)) == "tampered"
	other = tokens.derive_key("another-site", "invite")
	assert reason(KEY, "invite", tokens.sign(other, "invite", id_, NOW + 60)) == "tampered"
	# the same secret for another purpose gives another key
	assert (
		reason(
			KEY, "invite", tokens.sign(tokens.derive_key("site-secret", "qrlogin"), "invite", id_, NOW + 60)
		)
		== "tampered"
	)


def test_a_tampered_token_says_tampered_even_when_its_expiry_is_past():
	tok = tokens.sign(KEY, "invite", "a1b2c3d4e5", NOW - 10)
	kind, id_, exp, sig = tok.split(".")
	assert reason(KEY, "invite", f"{kind}.{id_}.{exp}.x{sig[1:]}") == "tampered"


@pytest.mark.parametrize(
	"bad", ["", "abc", "invite.x.1.y", "invite.a1b2c3d4e5.soon.sig", "a.b.c.d.e", "invite.../..1.x"]
)
def test_malformed(bad):
	assert reason(KEY, "invite", bad) == "malformed"


@given(st.text(max_size=300))
def test_arbitrary_text_never_verifies(text):
	with pytest.raises(tokens.TokenRefused):
		tokens.verify(KEY, "invite", text, NOW)


def test_the_browser_secret_is_kept_as_a_hash_and_compared():
	kept = tokens.fingerprint("browser-secret")
	assert "browser-secret" not in kept
	assert tokens.same_secret("browser-secret", kept)
	assert not tokens.same_secret("another", kept)
	assert not tokens.same_secret(None, kept) and not tokens.same_secret("", kept)
	assert not tokens.same_secret("browser-secret", None)


def test_orders_above_the_amount_wait_for_an_approver():
	assert needs_approval(1000.01, 1000, ORDERER, approvers=1)
	assert not needs_approval(1000, 1000, ORDERER, approvers=1)  # at the amount: placed
	assert not needs_approval(5000, 0, ORDERER, approvers=1)  # no amount set: no approval
	assert not needs_approval(5000, 1000, APPROVER, approvers=1)  # an approver's own order
	assert not needs_approval(5000, 1000, ORDERER, approvers=0)  # nobody could approve it
	assert needs_approval(5000, 1000, "", approvers=2)  # a row without a role orders


def test_a_role_is_orderer_unless_approver():
	assert role_of(None) == ORDERER and role_of("Orderer") == ORDERER and role_of("Approver") == APPROVER
	assert role_of("approver") == ORDERER
