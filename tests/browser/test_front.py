"""The bench's front (nginx before gunicorn, as scripts/bench_start.sh runs it) as an integrator meets it."""

import json

import requests

SHOP = "demo-shopify"


def test_an_oversized_webhook_is_refused_before_frappe_reads_it(base_url):
	url = f"{base_url}/api/method/omni_channel.api.webhooks.receive?shop={SHOP}"
	big = json.dumps({"note": "x" * 3_000_000})
	assert (
		requests.post(url, data=big, headers={"Content-Type": "application/json"}, timeout=30).status_code
		== 413
	)
	small = requests.post(url, data="{}", headers={"Content-Type": "application/json"}, timeout=30)
	assert small.status_code == 401, (
		"an unsigned delivery of normal size reaches the app and is refused there"
	)


def test_large_desk_form_posts_get_through(base_url):
	"""nginx keeps bodies over its buffer in temp files; a 1.5 MB form post must still reach Frappe."""
	r = requests.post(f"{base_url}/api/method/ping", data={"pad": "x" * 1_500_000}, timeout=30)
	assert r.status_code == 200 and r.json()["message"] == "pong"
