"""Typed access to the options of the access log (``config_declaration.yaml`` here)."""

from __future__ import annotations

import ipaddress

import ckan.plugins.toolkit as tk

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_proxies() -> list[Network]:
    """The networks of the reverse proxies whose ``X-Forwarded-For`` is believed."""
    networks = []
    for value in tk.config["ckanext.yiyang.audit.trusted_proxies"] or []:
        networks.append(ipaddress.ip_network(str(value).strip(), strict=False))
    return networks


def progress_days() -> int:
    """Days up to now whose served reads the progress view counts per unit."""
    return max(int(tk.config["ckanext.yiyang.audit.progress_days"]), 1)
