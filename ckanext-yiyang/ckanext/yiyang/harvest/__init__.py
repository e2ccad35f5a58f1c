"""Harvesting the catalogs of the counties (目录级联, issue 15.3) with ckanext-harvest.

The plugin ``yiyang_harvester`` is a ckanext-harvest harvester (source type ``yiyang``) for a
county running this platform, or any CKAN catalog: entries keep their resource codes, their
provider units become units of the county (unit group ``06``), and they are read-only here and
follow their source. Harvests run as jobs on CKAN's job worker (:mod:`.jobs`).
"""
