"""Maintenance of a running catalog: the index consistency check (``ckan yiyang index-check``).

Backup and restore are shell scripts (``config/bin/backup.sh``, ``make backup`` / ``make
restore``); they call the check after a restore.
"""
