"""ckanext-transparency: the bundle of CKAN extensions of the national transparency portal.

The Python package lives in ``ckanext-transparency/``; the ckanext-scheming
schemas live in ``schemas/`` at the top level and are installed as the package
``ckanext.transparency.schemas`` so that ``ckanext.transparency.schemas:<file>``
resolves after an editable and a regular install alike.
"""
from setuptools import find_packages, setup

SRC = "ckanext-transparency"

setup(
    name="ckanext-transparency",
    version="0.1.0",
    description="National transparency portal (OGP commitment MO0006) on CKAN",
    license="AGPL-3.0-or-later",
    python_requires=">=3.10",
    package_dir={"": SRC, "ckanext.transparency.schemas": "schemas"},
    packages=find_packages(SRC) + ["ckanext.transparency.schemas"],
    include_package_data=True,
    package_data={
        "ckanext.transparency": [
            "config_declaration.yaml",
            "templates/**/*.html",
            "assets/**/*",
            "i18n/**/*",
            "data/*",
            "migration/**/*",
        ],
        "ckanext.transparency.schemas": ["*.yaml", "*.json"],
    },
    entry_points={
        "ckan.plugins": [
            "transparency = ckanext.transparency.plugin:TransparencyPlugin",
            "transparency_ckan_harvester = ckanext.transparency.harvesters:TransparencyCKANHarvester",
            "transparency_dcat_harvest = ckanext.transparency.harvesters:TransparencyDCATHarvestPlugin",
        ],
        "ckan.rdf.profiles": ["transparency_dcat_ap = ckanext.transparency.dcat_profile:TransparencyDCATAPProfile"],
    },
    zip_safe=False,
)
