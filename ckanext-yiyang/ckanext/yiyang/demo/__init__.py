"""The demo catalog (``ckan yiyang demo load|reset``): a catalog written for the project, of
the city's units, for a portal that should show something on its first start."""
