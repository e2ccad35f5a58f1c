"""ckanext-scheming schemas of the Yiyang catalog (installed as ``ckanext.yiyang.schemas``).

Scheming finds a schema named ``ckanext.yiyang.schemas:dataset.yaml`` next to this module.
"""
