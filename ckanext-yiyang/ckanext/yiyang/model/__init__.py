"""Tables of ckanext-yiyang. All are named ``yiyang_*`` and created by the alembic history in
``migration/yiyang`` (``ckan db upgrade -p yiyang``), never by ``metadata.create_all``."""

from ckanext.yiyang.model.category import CategoryLevel
from ckanext.yiyang.model.code_sequence import CodeSequence

__all__ = ["CategoryLevel", "CodeSequence"]
