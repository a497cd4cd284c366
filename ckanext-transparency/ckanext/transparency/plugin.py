"""Wires the transparency portal into CKAN; the work is done in the modules it names."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from . import documents, mail, search, serving, textsearch
from .logic import auth


@tk.blanket.actions
@tk.blanket.auth_functions(auth.get_auth_functions)
@tk.blanket.blueprints
@tk.blanket.helpers
@tk.blanket.validators
@tk.blanket.cli
@tk.blanket.config_declarations
class TransparencyPlugin(DefaultTranslation, p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IMiddleware, inherit=True)
    p.implements(p.IResourceController, inherit=True)

    # IConfigurer
    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        tk.add_resource("assets", "transparency")
        # ckanext-xloader's job log lives in CKAN's database, not in a SQLite file in /tmp (nor in
        # the DataStore's, whose full-text trigger applies to every table created there).
        config["ckanext.xloader.jobs_db.uri"] = config.get("sqlalchemy.url")
        # Plain words are read by an edismax named in the query (textsearch.words_query).
        allowed = tk.aslist(config.get("ckan.search.solr_allowed_query_parsers"))
        config["ckan.search.solr_allowed_query_parsers"] = allowed + ["edismax"] * ("edismax" not in allowed)

    # IMiddleware
    def make_middleware(self, app: Any, config: Any) -> Any:
        return serving.wrap(mail.use_app(app))

    # IFacets
    def dataset_facets(self, facets_dict: dict[str, Any], package_type: str) -> dict[str, Any]:
        return search.facets_for(package_type, facets_dict)

    # IPackageController
    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        textsearch.index_fields(pkg_dict)
        return search.index_fields(pkg_dict)

    def after_dataset_show(self, context: Any, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return search.add_figures(pkg_dict)

    def before_dataset_view(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return search.add_figures(pkg_dict)

    def before_dataset_search(self, search_params: dict[str, Any]) -> dict[str, Any]:
        return textsearch.query_params(search_params)

    def after_dataset_search(self, search_results: dict[str, Any], search_params: dict[str, Any]) -> dict[str, Any]:
        return textsearch.add_snippets(search.label_facets(search_results), search_params)

    # IResourceController
    def after_resource_create(self, context: Any, resource: dict[str, Any]) -> None:
        documents.extract_soon(resource)

    def after_resource_update(self, context: Any, resource: dict[str, Any]) -> None:
        documents.extract_soon(resource)
