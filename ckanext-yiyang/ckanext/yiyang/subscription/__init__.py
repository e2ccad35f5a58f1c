"""Subscriptions (资源订阅, catalog-model §7): applications to use another unit's entry, what
an approval grants (the data resources of a conditional entry) and change notices."""
