"""Demo content of the portal, loaded by ``ckan transparency demo``.

Every step creates what is missing and updates what exists, so loading twice
leaves the same records. The action plan facts come from the OGP's published
data (``data/ogp_*``); the datasets are real public facts (regions, holidays,
the action plan itself).
"""
from __future__ import annotations

import csv
import datetime
import json
import os
from typing import Any, Callable, Iterator

import ckan.plugins.toolkit as tk
from ckan import model
from werkzeug.datastructures import FileStorage

from . import ati, portal
from .model import AtiEvent, AtiRequester

DATA = os.path.join(os.path.dirname(__file__), "data")

# Demo users and their documented passwords (README.md, "Demo logins").
USERS = [
    {"name": "demo-admin", "fullname": "Administrateur de démonstration", "password": "Demo-admin-2026", "sysadmin": True},
    {"name": "demo-officer", "fullname": "Agent d'information (MRAFP)", "password": "Demo-officer-2026", "sysadmin": False},
    {"name": "demo-citizen", "fullname": "Citoyenne de démonstration", "password": "Demo-citizen-2026", "sysadmin": False},
]

# Institutions: name, French and Arabic names, acronym, kind of body (schemas/organization.yaml).
ORGANIZATIONS = [
    ("mrafp", "Ministère de la Réforme de l'Administration et de la Fonction Publique",
     "وزارة إصلاح الإدارة والوظيفة العمومية", "MRAFP", "ministry"),
    ("mef", "Ministère de l'Économie et des Finances", "وزارة الاقتصاد والمالية", "MEF", "ministry"),
    ("hcp", "Haut-Commissariat au Plan", "المندوبية السامية للتخطيط", "HCP", "high-commission"),
    ("sante", "Ministère de la Santé et de la Protection sociale", "وزارة الصحة والحماية الاجتماعية", "MSPS",
     "ministry"),
    ("parlement", "Chambre des Représentants", "مجلس النواب", "CDR", "parliament"),
    # The CDAI: its members decide complaints (ckanext.transparency.cdai_organization).
    ("cdai", "Commission du droit d'accès à l'information", "لجنة الحق في الحصول على المعلومات", "CDAI",
     "public-establishment"),
]

# The OGP's CSV names no lead institution: the demo gives the budget commitments
# to the finance ministry, the legislative ones to Parliament, the rest to MRAFP.
LEAD = {"MO0011": "mef", "MO0012": "mef", "MO0019": "parlement", "MO0020": "parlement",
        "MO0021": "parlement", "MO0022": "parlement", "MO0024": "parlement"}

POLICY_AREAS = {"Capacity Building": "capacity-building", "E-Government": "e-government",
                "Open Data": "open-data", "Public Participation": "public-participation",
                "Fiscal Transparency": "fiscal-transparency", "Audits and Controls": "audits-and-controls",
                "Legislature": "legislature"}

ACTION_PLAN = "plan-action-ogp-2018-2020"

# Guides and pages (ckanext-pages), each in French and in Arabic: ``<name>`` and
# ``<name>-ar``; each version links to the other, the Arabic one under /ar/ (right to left).
PAGES = [
    ("about", "À propos du portail", "بخصوص البوابة",
     "Le Portail national de la transparence réalise l'engagement MO0006 du plan d'action "
     "national pour un gouvernement ouvert 2018-2020. Il permet de demander l'accès à "
     "l'information et de suivre sa demande, de lire ce que les institutions publient, "
     "de trouver des données ouvertes, de suivre le plan d'action, de participer aux "
     "consultations publiques et de lire des statistiques.",
     "تجسد البوابة الوطنية للشفافية الالتزام MO0006 من خطة العمل الوطنية للحكومة المنفتحة "
     "2018-2020. وتمكن من تقديم طلبات الحصول على المعلومات وتتبعها، والاطلاع على ما تنشره "
     "المؤسسات، والعثور على البيانات المفتوحة، وتتبع خطة العمل، والمشاركة في الاستشارات "
     "العمومية، والاطلاع على الإحصائيات."),
    ("loi-31-13", "La loi 31-13 en bref", "القانون 31.13 باختصار",
     "* Toute personne peut demander une information détenue par une institution publique.\n"
     "* L'institution répond dans les **20 jours ouvrables** (art. 16), délai prorogeable une "
     "fois de 20 jours avec un avis motivé ; **3 jours** en cas d'urgence (art. 17).\n"
     "* Un refus est motivé et cite une exception de l'article 7.\n"
     "* Réclamation auprès du chef de l'institution dans les 20 jours ouvrables, puis auprès "
     "de la Commission du droit d'accès à l'information (CDAI) dans les 30 jours.\n"
     "* Les institutions publient d'elles-mêmes les informations de l'article 10 : textes, "
     "budgets, marchés, concours, rapports, statistiques, procédures et formulaires.",
     "* يحق لكل شخص طلب معلومة توجد في حوزة مؤسسة عمومية.\n"
     "* تجيب المؤسسة داخل أجل **20 يوم عمل** (المادة 16)، قابل للتمديد مرة واحدة بـ20 يوما "
     "مع إشعار معلل؛ و**3 أيام** في حالة الاستعجال (المادة 17).\n"
     "* يكون الرفض معللا ويستند إلى استثناء من المادة 7.\n"
     "* الشكاية لدى رئيس المؤسسة داخل 20 يوم عمل، ثم لدى لجنة الحق في الحصول على المعلومات "
     "داخل 30 يوما.\n"
     "* تنشر المؤسسات تلقائيا معلومات المادة 10: النصوص، والميزانيات، والصفقات، والمباريات، "
     "والتقارير، والإحصائيات، والمساطر والمطبوعات."),
    ("guide-publication", "Guide de l'éditeur", "دليل الناشر",
     "## Publier\n\n"
     "1. Connectez-vous avec le compte de votre institution (éditeur de son organisation).\n"
     "2. Choisissez le type de contenu : publication proactive (avec sa catégorie de "
     "l'article 10), jeu de données, engagement.\n"
     "3. Renseignez les champs en arabe et en français, joignez les documents (PDF, CSV, "
     "tableurs, textes ; 10 Mo au plus par fichier).\n"
     "4. Publiez : le contenu apparaît dans la recherche, dans l'API et dans le catalogue DCAT.\n\n"
     "## Publier beaucoup à la fois\n\n"
     "Préparez un fichier CSV dont les colonnes sont les champs du formulaire, plus "
     "`document` (le nom du fichier joint ou un lien) : l'administrateur le charge avec "
     "`ckan transparency bulk-upload`, ou votre application avec l'action "
     "`transparency_bulk_upload`. Les lignes correctes sont publiées ; les autres sont "
     "listées avec la raison, à corriger puis renvoyer.\n\n"
     "## Mettre à jour\n\n"
     "Modifiez la fiche ou remplacez son document : la date de mise à jour change et les "
     "moissonneurs reprennent la fiche. La page « Publication par institution » montre les "
     "catégories de l'article 10 que votre institution n'a pas encore couvertes.",
     "## النشر\n\n"
     "1. ادخلوا بحساب مؤسستكم (محرر في منظمتها).\n"
     "2. اختاروا نوع المحتوى: منشور استباقي (مع صنفه من المادة 10)، أو مجموعة بيانات، أو التزام.\n"
     "3. املؤوا الحقول بالعربية والفرنسية، وأرفقوا الوثائق (PDF، CSV، جداول، نصوص؛ 10 ميغابايت "
     "على الأكثر لكل ملف).\n"
     "4. انشروا: يظهر المحتوى في البحث وفي واجهة البرمجة وفي فهرس DCAT.\n\n"
     "## النشر المكثف\n\n"
     "أعدوا ملف CSV أعمدته هي حقول الاستمارة، إضافة إلى `document` (اسم الملف المرفق أو رابط): "
     "يحمله المسؤول بالأمر `ckan transparency bulk-upload`، أو تطبيقكم بالإجراء "
     "`transparency_bulk_upload`. تنشر الأسطر الصحيحة، وتسرد الأخرى مع السبب لتصحيحها وإعادة إرسالها.\n\n"
     "## التحيين\n\n"
     "عدلوا البطاقة أو عوضوا وثيقتها: يتغير تاريخ التحيين وتستعيد أدوات الحصاد البطاقة. "
     "وتبين صفحة «النشر حسب المؤسسة» أصناف المادة 10 التي لم تغطها مؤسستكم بعد."),
    ("faq", "Questions fréquentes", "أسئلة متكررة",
     "**Qui voit mon identité quand je demande une information ?** Vous, les agents "
     "d'information de l'institution interrogée et les administrateurs du portail ; elle "
     "n'est jamais publiée.\n\n"
     "**En combien de temps l'institution répond-elle ?** 20 jours ouvrables, une fois "
     "prorogeables de 20 jours ; 3 jours si la vie, la sécurité ou la liberté d'une personne "
     "est en jeu.\n\n"
     "**Et si la réponse ne vient pas ou ne me satisfait pas ?** Réclamez auprès du chef de "
     "l'institution, puis auprès de la CDAI, depuis la page de votre demande.\n\n"
     "**Puis-je réutiliser les données ouvertes ?** Oui, selon la licence ouverte indiquée "
     "sur chaque jeu de données.\n\n"
     "**Comment moissonner le portail ?** Par l'API CKAN (`package_search`, avec "
     "`metadata_modified` pour ne reprendre que ce qui a changé) ou par le catalogue DCAT "
     "(`/catalog.ttl`, `/catalog.rdf`, `/catalog.jsonld`).",
     "**من يرى هويتي عندما أطلب معلومة؟** أنتم، والمكلفون بالمعلومات في المؤسسة المعنية، "
     "ومسيرو البوابة؛ ولا تنشر أبدا.\n\n"
     "**ما أجل جواب المؤسسة؟** 20 يوم عمل، قابلة للتمديد مرة واحدة بـ20 يوما؛ و3 أيام إذا "
     "تعلق الأمر بحياة شخص أو سلامته أو حريته.\n\n"
     "**وإذا لم يصل الجواب أو لم يرضني؟** قدموا شكاية إلى رئيس المؤسسة، ثم إلى لجنة الحق في "
     "الحصول على المعلومات، من صفحة طلبكم.\n\n"
     "**هل يمكنني إعادة استعمال البيانات المفتوحة؟** نعم، وفق الترخيص المفتوح المبين في كل "
     "مجموعة بيانات.\n\n"
     "**كيف يمكن حصاد البوابة؟** عبر واجهة برمجة CKAN (`package_search`، مع `metadata_modified` "
     "لجلب ما تغير فقط) أو عبر فهرس DCAT (`/catalog.ttl` و`/catalog.rdf` و`/catalog.jsonld`)."),
]


def page_versions() -> list[tuple[str, str, str]]:
    """Every page of the demo as (name, title, content): the French and the Arabic version
    of each guide (the page's template links each to the other)."""
    found = []
    for name, title, title_ar, content, content_ar in PAGES:
        found.append((name, title, content))
        found.append((f"{name}-ar", title_ar, content_ar))
    return found


def steps() -> list[tuple[str, Callable[[dict[str, Any]], None]]]:
    """The loading steps, in order, with a label for the progress bar."""
    return [
        ("users", _users),
        ("institutions", _organizations),
        ("action plan", _action_plan),
        ("commitments", _commitments),
        ("open data", _datasets),
        ("publications", _publications),
        ("indicators", _indicators),
        ("reuses", _reuses),
        ("consultations", _consultations),
        ("requests for information", _requests),
        ("pages", _pages),
    ]


def load() -> Iterator[str]:
    """Loads every step, yielding each step's label once it is done."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    for label, step in steps():
        step({"user": site_user["name"], "ignore_auth": True})
        yield label


def _upsert_package(context: dict[str, Any], data: dict[str, Any], files: list[tuple[str, str]] = ()) -> None:
    """Creates the package ``data['name']`` or updates it in place.

    ``files`` are (file name in data/, resource name) uploaded as resources when
    the package is created; an existing package keeps its resources.
    """
    try:
        existing = tk.get_action("package_show")(dict(context), {"id": data["name"]})
    except tk.ObjectNotFound:
        pkg = tk.get_action("package_create")(dict(context), data)
        for filename, res_name in files:
            _upload(context, pkg["id"], filename, res_name)
        return
    data = dict(data, id=existing["id"], resources=existing["resources"])
    tk.get_action("package_update")(dict(context), data)


def _upload(context: dict[str, Any], package_id: str, filename: str, res_name: str) -> None:
    path = os.path.join(DATA, filename)
    with open(path, "rb") as stream:
        tk.get_action("resource_create")(dict(context), {
            "package_id": package_id, "name": res_name, "url": os.path.basename(filename),
            "format": os.path.splitext(filename)[1].lstrip(".").upper(),
            "upload": FileStorage(stream=stream, filename=os.path.basename(filename)),
        })


def _users(context: dict[str, Any]) -> None:
    for user in USERS:
        obj = model.User.get(user["name"])
        if obj is None:
            tk.get_action("user_create")(dict(context), {
                "name": user["name"], "fullname": user["fullname"], "password": user["password"],
                "email": "{}@demo.transparence.ma".format(user["name"]),
            })
            obj = model.User.get(user["name"])
        if obj.sysadmin != user["sysadmin"]:
            obj.sysadmin = user["sysadmin"]
            model.Session.commit()


def _organizations(context: dict[str, Any]) -> None:
    for name, title, title_ar, acronym, kind in ORGANIZATIONS:
        data = {"name": name, "title": title, "title_ar": title_ar, "acronym": acronym, "kind": kind,
                "description": ""}
        try:
            org = tk.get_action("organization_show")(dict(context), {"id": name})
            tk.get_action("organization_patch")(dict(context), dict(data, id=org["id"]))
        except tk.ObjectNotFound:
            tk.get_action("organization_create")(dict(context), data)
    tk.get_action("organization_member_create")(
        dict(context), {"id": "mrafp", "username": "demo-officer", "role": "editor"})
    tk.get_action("organization_member_create")(
        dict(context), {"id": "cdai", "username": "demo-admin", "role": "editor"})


def _action_plan(context: dict[str, Any]) -> None:
    _upsert_package(context, {
        "type": "action-plan", "name": ACTION_PLAN, "owner_org": "mrafp",
        "title": "Plan d'action national pour un gouvernement ouvert 2018-2020",
        "title_ar": "خطة العمل الوطنية للحكومة المنفتحة 2018-2020",
        "notes": "Premier plan d'action du Maroc au sein du Partenariat pour un gouvernement ouvert (OGP) : 24 engagements.",
        "notes_ar": "أول خطة عمل للمغرب في إطار شراكة الحكومة المنفتحة: 24 التزاما.",
        "country": "Morocco", "cycle": 2018, "period_start": "2018-08-30", "period_end": "2020-08-30",
        "plan_status": "completed",
    })


def _commitment_base(row: dict[str, str]) -> dict[str, Any]:
    area = POLICY_AREAS.get(row["policy_area"])
    return {
        "type": "commitment", "name": row["ogp_id"].lower(), "ogp_id": row["ogp_id"],
        "title": row["title"], "owner_org": LEAD.get(row["ogp_id"], "mrafp"),
        "action_plan": ACTION_PLAN, "commitment_status": "active",
        "policy_areas": [area] if area else [],
        "start_date": "2018-08-30", "end_date": "2020-08-30",
        "irm_verifiable": "pending", "irm_relevant": "pending", "irm_potential_impact": "pending",
        "irm_completion": "pending", "irm_starred": "pending", "irm_early_results": "pending",
    }


def _commitments(context: dict[str, Any]) -> None:
    with open(os.path.join(DATA, "ogp_morocco_2018_2020_commitments.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with open(os.path.join(DATA, "ogp_MO0006_transparency_portal.json"), encoding="utf-8") as f:
        mo0006 = json.load(f)
    for row in rows:
        data = _commitment_base(row)
        if row["ogp_id"] == mo0006["ogp_id"]:
            data.update(_mo0006(mo0006))
        _upsert_package(context, data)


def _mo0006(c: dict[str, Any]) -> dict[str, Any]:
    related = [f"MO000{n}" for n in (1, 2, 4)]  # "Commitment 1, Commitment 2, Commitment 4"
    return {
        "title": "Portail de la transparence",
        "title_ar": "بوابة الشفافية",
        "long_title": c["long_title"],
        "start_date": c["start_date"], "end_date": c["end_date"],
        "commitment_status": c["status"].lower(),
        "policy_areas": [POLICY_AREAS[a] for a in c["policy_areas"]],
        "support_actors": c["support_institutions"],
        "public_problem": c["public_problem"],
        "notes": c["commitment"],
        "contribution_to_solve_problem": c["contribution_to_solve_problem"],
        "relevance_to_ogp_values": c["relevance_to_ogp_values"],
        "additional_information": c["additional_information"],
        "related_commitments": related,
        "contact_position": c["contact_point"]["position"],
        "milestones": [
            {"title": m["title"], "start": m["start"], "end": m["end"], "weight": 1, "state": "completed"}
            for m in c["milestones"]
        ],
    }


def _datasets(context: dict[str, Any]) -> None:
    common = {"type": "dataset", "license_id": "odc-by", "spatial_region": "national", "language": ["ar", "fr"]}
    _upsert_package(context, dict(common, **{
        "name": "regions-du-maroc", "owner_org": "hcp", "theme": "GOVE", "frequency": "irregular",
        "title": "Régions du Maroc", "notes": "Les douze régions du Royaume, leur nom en arabe et en français et leur chef-lieu.",
        "tags": [{"name": "régions"}, {"name": "découpage territorial"}],
        "contact_name": "Direction de la statistique", "contact_email": "statistique@demo.transparence.ma",
    }), files=[("demo/regions.csv", "Régions (CSV)")])
    _upsert_package(context, dict(common, **{
        "name": "jours-feries-fixes", "owner_org": "mrafp", "theme": "GOVE", "frequency": "annual",
        "title": "Jours fériés fixes au Maroc",
        "notes": "Jours fériés à date fixe, utilisés pour calculer les délais de réponse en jours ouvrables.",
        "tags": [{"name": "jours fériés"}, {"name": "délais"}],
        "contact_name": "Division des études et de la législation", "contact_email": "etudes@demo.transparence.ma",
    }), files=[("demo/fixed_holidays.csv", "Jours fériés fixes (CSV)")])
    _upsert_package(context, dict(common, **{
        "name": "engagements-ogp-2018-2020", "owner_org": "mrafp", "theme": "GOVE", "frequency": "irregular",
        "language": ["en"], "temporal_start": "2018-08-30", "temporal_end": "2020-08-30",
        "title": "Engagements du plan d'action OGP 2018-2020",
        "notes": "Les 24 engagements du premier plan d'action national, tels que publiés par l'OGP.",
        "tags": [{"name": "OGP"}, {"name": "gouvernement ouvert"}],
        "contact_name": "Division des études et de la législation", "contact_email": "etudes@demo.transparence.ma",
    }), files=[("ogp_morocco_2018_2020_commitments.csv", "Engagements (CSV)")])
    _upsert_package(context, dict(common, **{
        "name": "chefs-lieux-des-regions", "owner_org": "hcp", "theme": "GOVE", "frequency": "irregular",
        "title": "Chefs-lieux des régions",
        "notes": "Les chefs-lieux des douze régions du Royaume, en points géographiques (GeoJSON).",
        "tags": [{"name": "régions"}, {"name": "carte"}],
        "contact_name": "Direction de la statistique", "contact_email": "statistique@demo.transparence.ma",
    }), files=[("demo/chefs_lieux_regions.geojson", "Chefs-lieux (carte)")])


def _publications(context: dict[str, Any]) -> None:
    for data in [
        {"name": "loi-31-13-droit-acces-information", "owner_org": "mrafp", "category": "laws",
         "title": "Loi n° 31-13 relative au droit d'accès à l'information",
         "title_ar": "القانون رقم 31.13 المتعلق بالحق في الحصول على المعلومات",
         "notes": "Dahir n° 1-18-15 du 22 février 2018 portant promulgation de la loi n° 31-13.",
         "publication_date": "2018-03-12", "legal_reference": "Bulletin officiel n° 6655 du 12 mars 2018",
         "files": [("demo/loi_31_13_extrait.pdf", "Texte de la loi (PDF)")]},
        {"name": "organigramme-mrafp", "owner_org": "mrafp", "category": "missions",
         "title": "Missions et organigramme du ministère", "title_ar": "مهام الوزارة وهيكلها التنظيمي",
         "notes": "Missions du ministère et organisation de ses directions.", "publication_date": "2024-01-15"},
        {"name": "loi-de-finances-2025-synthese", "owner_org": "mef", "category": "budget",
         "title": "Loi de finances 2025 : note de synthèse", "title_ar": "قانون المالية 2025: مذكرة تركيبية",
         "notes": "Présentation synthétique de la loi de finances de l'année 2025.",
         "publication_date": "2025-01-02", "period_start": "2025-01-01", "period_end": "2025-12-31"},
    ]:
        files = data.pop("files", [])
        _upsert_package(context, dict(data, type="publication"), files=files)


def _indicators(context: dict[str, Any]) -> None:
    _upsert_package(context, {
        "type": "indicator", "name": "demandes-repondues-dans-les-delais", "owner_org": "mrafp",
        "title": "Demandes d'information répondues dans les délais (démonstration)",
        "title_ar": "طلبات المعلومات التي تم الرد عليها داخل الأجل (للعرض)",
        "notes": "Part des demandes d'accès à l'information ayant reçu une réponse dans le délai légal "
                 "(20 jours ouvrables, prorogeables une fois). **Valeurs de démonstration.**",
        "unit": "%", "periodicity": "yearly",
        "methodology": "Réponses données au plus tard à la date limite, rapportées aux réponses données "
                       "dans l'année (voir la page Statistiques).",
    }, files=[("demo/indicator_ati_on_time.csv", "Valeurs (CSV)")])
    _upsert_package(context, {
        "type": "indicator", "name": "demandes-repondues-dans-les-delais-portail", "owner_org": "mrafp",
        "title": "Demandes répondues dans les délais, par trimestre (chiffres du portail)",
        "title_ar": "الطلبات التي أجيب عنها داخل الأجل، حسب الفصل (أرقام البوابة)",
        "notes": "Part des demandes reçues dans le trimestre et répondues qui l'ont été dans le délai légal, "
                 "calculée à chaque visite à partir des demandes déposées sur ce portail.",
        "notes_ar": "نسبة الطلبات المتوصل بها خلال الفصل والتي أجيب عنها داخل الأجل القانوني، "
                    "محسوبة عند كل زيارة انطلاقا من الطلبات المقدمة عبر هذه البوابة.",
        "unit": "%", "periodicity": "quarterly", "live_source": "ati-on-time",
        "methodology": "Les chiffres de la page Statistiques, filtrés sur chaque trimestre de réception.",
    })


def _reuses(context: dict[str, Any]) -> None:
    _upsert_package(context, {
        "type": "showcase", "name": "carte-des-regions", "owner_org": "hcp",
        "title": "Carte interactive des régions", "reuse_kind": "visualisation",
        "notes": "Une carte des douze régions construite sur le jeu de données « Régions du Maroc ».",
        "url": "https://example.org/carte-des-regions", "datasets_used": ["regions-du-maroc"],
    })


def _consultations(context: dict[str, Any]) -> None:
    _upsert_package(context, {
        "type": "consultation", "name": "plan-action-ogp-2025-2027", "owner_org": "mrafp",
        "title": "Projet de plan d'action OGP : propositions d'engagements",
        "title_ar": "مشروع خطة العمل للحكومة المنفتحة: اقتراح التزامات",
        "notes": "Proposez des engagements pour le prochain plan d'action national.",
        "notes_ar": "اقترحوا التزامات لخطة العمل الوطنية المقبلة.",
        "topic": "open-government", "related_commitments": ["MO0023"],
        "opens_at": "2026-11-01T09:00:00+01:00", "closes_at": "2027-01-31T18:00:00+01:00",
    })
    _closed_consultation(context)


_CHARTER_FR = ["La présente charte fixe les règles de bonne gouvernance des services publics.",
               "Les services publics sont égaux pour tous les usagers.",
               "Chaque service publie ses horaires d'ouverture.",
               "Chaque service publie le délai de traitement de chaque démarche.",
               "Les usagers sont accueillis dans la langue de leur choix, arabe ou amazighe.",
               "Les démarches sont simplifiées et dématérialisées progressivement.",
               "Les agents portent un badge qui indique leur nom et leur fonction.",
               "Les services mesurent chaque année la satisfaction des usagers.",
               "Chaque service traite les réclamations des usagers et y répond."]
_CHARTER_AR = ["يحدد هذا الميثاق قواعد الحكامة الجيدة للمرافق العمومية.",
               "المرافق العمومية متساوية بالنسبة لجميع المرتفقين.",
               "ينشر كل مرفق مواعيد عمله.",
               "ينشر كل مرفق أجل معالجة كل إجراء.",
               "يستقبل المرتفقون باللغة التي يختارونها، العربية أو الأمازيغية.",
               "تبسط الإجراءات وترقمن بالتدريج.",
               "يحمل الموظفون شارة تبين اسمهم ووظيفتهم.",
               "تقيس المرافق كل سنة رضا المرتفقين.",
               "يعالج كل مرفق شكايات المرتفقين ويجيب عنها."]


def _closed_consultation(context: dict[str, Any]) -> None:
    """A consultation that ran in spring 2026: contributions moderated and answered, report out.
    It is opened for a moment to take the contributions through the real actions."""
    name = "charte-services-publics"
    data = {
        "type": "consultation", "name": name, "owner_org": "mrafp",
        "title": "Projet de charte des services publics",
        "title_ar": "مشروع ميثاق المرافق العمومية",
        "notes": "Le projet de charte fixe les règles de bonne gouvernance des services publics.",
        "notes_ar": "يحدد مشروع الميثاق قواعد الحكامة الجيدة للمرافق العمومية.",
        "topic": "public-services", "related_commitments": ["MO0008"],
        "opens_at": "2026-03-01T09:00:00+01:00", "closes_at": "2026-04-30T18:00:00+01:00",
        "draft": "\n".join(f"Article {n}\n{text}" for n, text in enumerate(_CHARTER_FR, start=1)),
        "draft_ar": "\n".join(f"المادة {n}\n{text}" for n, text in enumerate(_CHARTER_AR, start=1)),
    }
    try:
        tk.get_action("package_show")(dict(context), {"id": name})
        return
    except tk.ObjectNotFound:
        pass
    now = portal.now()
    tk.get_action("package_create")(dict(context), dict(
        data, opens_at=(now - datetime.timedelta(hours=1)).isoformat(),
        closes_at=(now + datetime.timedelta(hours=1)).isoformat()))
    contribute = tk.get_action("transparency_contribution_create")
    answers = [("4", "Publier les délais de traitement de chaque service.", "taken",
                "Retenu : l'article 4 impose la publication des délais."),
               ("9", "Créer un guichet unique des réclamations.", "partly",
                "Retenu en partie : un portail national des réclamations existe déjà (chikaya.ma)."),
               (None, "Supprimer le timbre fiscal des documents administratifs.", "out-of-scope",
                "Hors du champ de la charte : relève de la loi de finances.")]
    for article, text, kind, answer in answers:
        item = contribute({"user": "demo-citizen"}, {"id": name, "text": text, "article": article or "",
                                                     "show_name": article is not None})
        tk.get_action("transparency_contribution_moderate")({"user": "demo-officer"}, {
            "contribution_id": item["id"], "decision": "publish"})
        tk.get_action("transparency_contribution_answer")({"user": "demo-officer"}, {
            "contribution_id": item["id"], "kind": kind, "text": answer})
        if article == "4":  # it led to a commitment of the action plan
            tk.get_action("transparency_contribution_link")({"user": "demo-officer"}, {
                "contribution_id": item["id"], "commitment": "mo0008"})
            tk.get_action("transparency_contribution_support")({"user": "demo-officer"}, {
                "contribution_id": item["id"]})
    tk.get_action("package_patch")(dict(context), {"id": name, "opens_at": data["opens_at"],
                                                   "closes_at": data["closes_at"]})
    tk.get_action("transparency_consultation_report_publish")({"user": "demo-officer"}, {
        "id": name, "summary": "Trois contributions publiées : une retenue, une retenue en partie, "
                               "une hors du champ de la charte.",
        "url": "https://www.mmsp.gov.ma/"})


def _pages(context: dict[str, Any]) -> None:
    for name, title, content in page_versions():
        page = tk.get_action("ckanext_pages_show")(dict(context), {"page": name})
        if page and page.get("title") == title and page.get("content") == content:
            continue
        tk.get_action("ckanext_pages_update")(dict(context), {
            "page": name, "name": name, "title": title, "content": content, "private": False, "order": "",
        })


def _requests(context: dict[str, Any]) -> None:
    """Requests of the demo citizen: one answered after a clarification, one awaiting
    clarification, one overdue (filed 40 days ago and never answered), one refused that
    the CDAI ordered disclosed; and one received on paper, registered by the officer."""
    citizen = model.User.get("demo-citizen")
    if model.Session.query(AtiRequester).filter(AtiRequester.user_id == citizen.id).count():
        return
    identity = {"full_name": "Citoyenne de démonstration", "id_number": "AB123456",
                "address": "1 avenue Mohammed V, Rabat", "email": "demo-citizen@demo.transparence.ma",
                "delivery": "email"}
    as_citizen, as_officer = {"user": "demo-citizen"}, {"user": "demo-officer"}
    submit = tk.get_action("transparency_ati_request_submit")
    move = tk.get_action("transparency_ati_request_transition")

    answered = submit(dict(as_citizen), dict(identity, owner_org="mrafp",
                      title="Nombre d'agents d'information désignés par département",
                      notes="La liste des départements et le nombre d'agents d'information désignés (art. 12)."))
    move(dict(as_officer), {"id": answered["id"], "transition": "start"})
    move(dict(as_officer), {"id": answered["id"], "transition": "request_clarification",
                            "note": "Souhaitez-vous aussi les établissements publics ?"})
    move(dict(as_citizen), {"id": answered["id"], "transition": "clarify",
                            "note": "Les départements ministériels seulement."})
    move(dict(as_officer), {"id": answered["id"], "transition": "answer",
                            "answer": "La liste est publiée dans la rubrique « Publications » du ministère."})

    waiting = submit(dict(as_citizen), dict(identity, owner_org="mef", also_to=["hcp"],  # a batch of two
                     title="Exécution du budget d'investissement 2025 par région",
                     notes="Les crédits engagés et payés par région en 2025."))
    move(dict(context), {"id": waiting["id"], "transition": "request_clarification",
                         "note": "Quel ministère vous intéresse ?"})

    late = submit(dict(as_citizen), dict(identity, owner_org="mrafp", title="Délais moyens de recrutement en 2025",
                  notes="Le délai moyen entre l'ouverture d'un concours et la nomination."))
    received = portal.today() - datetime.timedelta(days=40)
    tk.get_action("package_patch")(dict(context), {
        "id": late["id"], "received_date": received.isoformat(),
        "due_date": ati.due_date(received, urgent=False, extended=False).isoformat()})
    model.Session.query(AtiEvent).filter(AtiEvent.package_id == late["id"]).update(
        {"created": datetime.datetime.combine(received, datetime.time(10))})
    model.repo.commit()

    refused = submit(dict(as_citizen), dict(identity, owner_org="mrafp", title="Rapports d'inspection de 2024",
                     notes="Les rapports de l'inspection générale du ministère pour 2024."))
    for who, step in [(as_officer, {"transition": "refuse", "ground": "investigations",
                                    "note": "Rapports couverts par le secret des enquêtes administratives."}),
                      (as_citizen, {"transition": "complain_head", "note": "Les rapports sont clos et publiables."}),
                      (as_officer, {"transition": "head_answer", "note": "Le refus est maintenu."}),
                      (as_citizen, {"transition": "complain_cdai", "note": "Le refus n'est pas justifié."}),
                      ({"user": "demo-admin"}, {
                          "transition": "cdai_decide", "decision": "disclosure-ordered",
                          "comply_by": (portal.today() + datetime.timedelta(days=30)).isoformat(),
                          "note": "Les enquêtes sont closes : les rapports sont communicables, noms des agents masqués."})]:
        move(dict(who), dict(step, id=refused["id"]))

    submit(dict(as_officer), dict(identity, owner_org="mrafp", channel="paper", email="",
                                  full_name="Demandeur au guichet", id_number="CD654321",
                                  received_date=portal.today().isoformat(),
                                  title="Organigramme du ministère", notes="L'organigramme en vigueur."))
