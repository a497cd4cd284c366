"""The portal's DCAT-AP profile for ckanext-dcat (``transparency_dcat_ap``).

ckanext-dcat's DCAT-AP 2 profile does the mapping of CKAN's core fields (title,
description, keywords, publisher from the organization, contact point, dates,
distributions with format, media type, size and licence). This profile hands it
our schemas' fields under the keys it understands, with the EU vocabularies'
URIs where DCAT-AP asks for them (themes, frequencies, languages, Morocco), and
adds what it has no key for: Arabic titles and descriptions, the spatial
coverage with its labels, a publication's art. 10 category and legal reference.

Only ``dataset`` and ``publication`` records are DCAT datasets (see
``CATALOG_TYPES``); the other types are case records that harvesters pull with
``package_search``.
"""
from __future__ import annotations

import mimetypes
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.dcat.profiles import EuropeanDCATAP2Profile
from ckanext.dcat.utils import catalog_uri

from . import choices, uploads

# The record types that the DCAT catalog lists.
CATALOG_TYPES = ("dataset", "publication")

EU = "http://publications.europa.eu/resource/authority/"
MOROCCO = URIRef(EU + "country/MAR")
FREQUENCIES = {"daily": "DAILY", "monthly": "MONTHLY", "quarterly": "QUARTERLY",
               "annual": "ANNUAL", "irregular": "IRREG"}
# EU language authority codes; Standard Moroccan Amazigh has none, Lexvo's ISO 639-3 URI is used.
LANGUAGES = {"ar": EU + "language/ARA", "fr": EU + "language/FRA", "en": EU + "language/ENG",
             "zgh": "http://lexvo.org/id/iso639-3/zgh"}
# Every art. 10 publication is about government and the public sector.
PUBLICATION_THEME = EU + "data-theme/GOVE"
# Every record of the catalog is public.
PUBLIC_ACCESS = EU + "access-right/PUBLIC"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
# The EU file-type authority's code of each document type the portal accepts.
FILE_TYPES = {ext.upper(): ext.upper() for ext in uploads.DOCUMENT_EXTENSIONS} | {"JPG": "JPEG"}
# What a reuser may do with a distribution, beside its licence.
RIGHTS = {"fr": "Réutilisation libre selon la licence indiquée, en citant la source et la date de mise à jour.",
          "ar": "إعادة الاستعمال حرة وفق الترخيص المبين، مع ذكر المصدر وتاريخ التحيين."}


def catalog_filter(fq: str | None) -> str:
    """The ``fq`` of a catalog search: the catalog's record types, and ``fq`` if given."""
    types = "+dataset_type:({})".format(" OR ".join(CATALOG_TYPES))
    return "{} +({})".format(types, fq) if fq else types


class TransparencyDCATAPProfile(EuropeanDCATAP2Profile):
    """DCAT-AP 2 for the portal's open data and proactive publications."""

    def graph_from_catalog(self, catalog_dict: dict[str, Any] | None, catalog_ref: Any) -> None:
        """The catalog's languages as the EU's IRIs, and its publisher (both mandatory or
        recommended in DCAT-AP; ckanext-dcat writes the default locale as a literal)."""
        super().graph_from_catalog(catalog_dict, catalog_ref)
        self.g.remove((catalog_ref, DCTERMS.language, None))
        for code in tk.config.get("ckan.locales_offered"):
            if code in LANGUAGES:
                self.g.add((catalog_ref, DCTERMS.language, URIRef(LANGUAGES[code])))
        publisher = URIRef(catalog_uri().rstrip("/") + "/#publisher")
        self.g.add((catalog_ref, DCTERMS.publisher, publisher))
        self.g.add((publisher, RDF.type, FOAF.Agent))
        self.g.add((publisher, FOAF.name, Literal(tk.config.get("ckanext.transparency.catalog_publisher"))))

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> None:
        super().graph_from_dataset(_dcat_keys(dataset_dict), dataset_ref)
        self._add_spatial(dataset_dict, dataset_ref)
        if dataset_dict.get("type") == "publication":
            self._add_category(dataset_dict, dataset_ref)
            if dataset_dict.get("legal_reference"):
                self.g.add((dataset_ref, DCTERMS.bibliographicCitation, Literal(dataset_dict["legal_reference"])))

    def _add_spatial(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> None:
        region = dataset_dict.get("spatial_region")
        if not region:
            return
        location = MOROCCO if region == "national" else BNode()
        self.g.add((dataset_ref, DCTERMS.spatial, location))
        self.g.add((location, RDF.type, DCTERMS.Location))
        for lang, text in _choice_label(dataset_dict["type"], "spatial_region", region).items():
            self.g.add((location, SKOS.prefLabel, Literal(text, lang=lang)))

    def _add_category(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> None:
        """The art. 10 category as a theme: a concept of the portal's scheme of categories."""
        category = dataset_dict.get("category")
        if not category:
            return
        scheme = URIRef("{}/publication/category".format(catalog_uri().rstrip("/")))
        concept = URIRef("{}/{}".format(scheme, category))
        self.g.add((dataset_ref, DCAT.theme, concept))
        self.g.add((concept, RDF.type, SKOS.Concept))
        self.g.add((concept, SKOS.inScheme, scheme))
        self.g.add((scheme, RDF.type, SKOS.ConceptScheme))
        for lang, text in _choice_label("publication", "category", category).items():
            self.g.add((concept, SKOS.prefLabel, Literal(text, lang=lang)))


def _dcat_keys(pkg: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``pkg`` with our fields under the keys of ckanext-dcat's DCAT-AP mapping."""
    data = dict(pkg)
    base = catalog_uri().rstrip("/")
    data["url"] = "{}/{}/{}".format(base, pkg.get("type") or "dataset", pkg["name"])  # dcat:landingPage
    if pkg.get("title_ar"):
        data["title_translated"] = {"fr": pkg["title"], "ar": pkg["title_ar"]}
    # dct:description is mandatory: a record without a summary is described by its title.
    data["notes"] = pkg.get("notes") or pkg.get("notes_ar") or pkg["title"]
    if pkg.get("notes_ar"):
        data["notes_translated"] = {lang: text for lang, text in (("fr", pkg.get("notes")), ("ar", pkg["notes_ar"]))
                                    if text}
    data["theme"] = [EU + "data-theme/" + pkg["theme"]] if pkg.get("theme") else []
    if pkg.get("type") == "publication":
        data["theme"].append(PUBLICATION_THEME)
        data["issued"] = pkg.get("publication_date")
        data["temporal_start"] = pkg.get("period_start")
        data["temporal_end"] = pkg.get("period_end")
    data["frequency"] = EU + "frequency/" + FREQUENCIES[pkg["frequency"]] if pkg.get("frequency") else None
    data["language"] = [LANGUAGES[code] for code in pkg.get("language") or [] if code in LANGUAGES]
    data["access_rights"] = PUBLIC_ACCESS
    if not pkg.get("license_url"):  # a record saved before it had a licence: the portal's default
        default = model.Package.get_license_register().get(tk.config.get("ckanext.transparency.default_licence"))
        data["license_url"] = default.url if default else None
    data["resources"] = [_distribution_keys(res) for res in pkg.get("resources") or []]
    return data


def _distribution_keys(resource: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``resource`` with its media type and format as the IRIs DCAT-AP asks
    for (IANA, the EU file types; a format outside that list is left out) and its rights."""
    data = dict(resource, rights=RIGHTS)
    code = FILE_TYPES.get((resource.get("format") or "").upper().lstrip("."))
    data["format"] = EU + "file-type/" + code if code else None
    mimetype = resource.get("mimetype") or (mimetypes.guess_type("file." + code.lower())[0] if code else None)
    data["mimetype"] = IANA_MEDIA_TYPES + mimetype if mimetype and "/" in mimetype else None
    return data


def _choice_label(dataset_type: str, field_name: str, value: str) -> dict[str, str]:
    """The multilingual label of ``value`` of a choice field ({} if it is not one)."""
    return choices.label(dataset_type, field_name, value)
