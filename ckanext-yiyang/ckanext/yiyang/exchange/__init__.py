"""The exchange of the catalog with other catalogs (issue 15, catalog-model §13).

- ``vocab``: the classification trees and the code lists as SKOS concept schemes (``/vocab/…``);
- ``dcat``: our profile of ckanext-dcat (``yiyang``), DCAT / DCAT-AP 3 out and back;
- ``search``: which entries an exchange lists for a viewer (published, seen by the viewer);
- ``gbt21063``: the entries as GB/T 21063.3 core-metadata XML (``gbt21063.xsd``);
- ``logic``: ckanext-dcat's actions chained to follow §6, and the auth of our own;
- ``views``: the routes (``/vocab``, ``/dataset/<id>/gbt21063.xml``, ``/catalog/gbt21063.xml``,
  ``/api-guide``);
- ``guide``: the API guide, generated from the registered ``yiyang_`` actions.
"""
