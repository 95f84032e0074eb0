"""Parcel carriers (快递): one client per carrier's open API behind the interface in base.py."""
