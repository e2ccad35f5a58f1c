"""The portal's production web server (issue 16.3): gunicorn serving CKAN's WSGI application.

- :mod:`.wsgi`: the application, built from the configuration named by ``CKAN_INI``;
- :mod:`.gunicorn_conf`: gunicorn's settings (workers, threads, address, logs) from the
  ``YIYANG_WEB_*`` environment variables;
- :mod:`.launcher`: the one command that ``make run`` (config/bin/portal.sh), the tests'
  ``live_portal`` and the benchmarks start, and a helper that starts it and waits for it.
"""
