"""WSGI entry point of the portal (gunicorn locally, the same in production).

    CKAN_INI=/path/to/portal.ini gunicorn --chdir config wsgi:application
"""
import os
from logging.config import fileConfig

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app

ini = os.environ["CKAN_INI"]
fileConfig(ini)
application = make_app(CKANConfigLoader(ini).get_config())
