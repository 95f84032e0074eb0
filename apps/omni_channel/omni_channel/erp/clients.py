"""The platform client for a Channel Shop, built from its connection settings."""

import frappe


def client_for(shop_name: str):
	shop = frappe.get_doc("Channel Shop", shop_name)
	secret = shop.get_password("api_secret", raise_exception=False) or ""
	key = shop.get_password("api_key", raise_exception=False) or ""
	if shop.platform == "Shopify":
		from omni_channel.channels.shopify.client import ShopifyClient

		return ShopifyClient(shop.api_url, secret, shop.name), shop
	if shop.platform == "WooCommerce":
		from omni_channel.channels.woocommerce.client import WooClient

		return WooClient(shop.api_url, key, secret, shop.name), shop
	from omni_channel.channels.taobao.client import TopClient

	session_key = shop.get_password("session_key", raise_exception=False) or ""
	return TopClient(
		shop.api_url, key, secret, session_key, shop.name, sign_method=shop.sign_method or "md5"
	), shop
