"""Generates the benchmark's catalog and loads it through CKAN's actions, in process.

    python bench/catalog.py --ini .stack/bench/portal-1000.ini --flavour portal --size 1000

The catalog is a function of (flavour, size, SEED) only: the same command gives the
same records. ``portal`` mixes every type of the portal (open data, publications,
action plans and commitments with milestones, requests for information filed with
``transparency_ati_request_submit`` and moved along with
``transparency_ati_request_transition``, consultations), with French and Arabic
text; ``plain`` gives plain CKAN the same number of records, all plain datasets
with the same text, organizations and resources. Loading shows a progress line.

Before loading, the records that the workload created in an earlier run (its
package_create and submissions) are purged, so a cached catalog keeps its size;
``--purge`` does only that. ``--tokens FILE`` writes API tokens for the workload.
"""
from __future__ import annotations

import argparse
import datetime
import json
import logging.config
import random
import subprocess
import sys
import time
from typing import Any, Callable

SEED = 20261127
CATALOG_VERSION = 1  # bump when the generated records change: bench/run then reloads its cached catalogs

INSTITUTIONS = [
    ("mrafp", "Ministère de la Transition numérique et de la Réforme de l'Administration",
     "وزارة الانتقال الرقمي وإصلاح الإدارة"),
    ("mef", "Ministère de l'Économie et des Finances", "وزارة الاقتصاد والمالية"),
    ("hcp", "Haut-Commissariat au Plan", "المندوبية السامية للتخطيط"),
    ("sante", "Ministère de la Santé et de la Protection sociale", "وزارة الصحة والحماية الاجتماعية"),
    ("education", "Ministère de l'Éducation nationale", "وزارة التربية الوطنية"),
    ("interieur", "Ministère de l'Intérieur", "وزارة الداخلية"),
    ("justice", "Ministère de la Justice", "وزارة العدل"),
    ("equipement", "Ministère de l'Équipement et de l'Eau", "وزارة التجهيز والماء"),
    ("agriculture", "Ministère de l'Agriculture et de la Pêche maritime", "وزارة الفلاحة والصيد البحري"),
    ("parlement", "Chambre des Représentants", "مجلس النواب"),
    ("cour-comptes", "Cour des comptes", "المجلس الأعلى للحسابات"),
    ("region-rsk", "Région Rabat-Salé-Kénitra", "جهة الرباط سلا القنيطرة"),
]

SUBJECTS_FR = ["budget", "marchés publics", "recrutement", "santé", "écoles", "routes", "eau potable",
               "subventions", "associations", "hôpitaux", "transport urbain", "déchets", "emploi",
               "universités", "agriculture", "pêche", "logement", "énergie", "tourisme", "justice",
               "élections", "communes", "impôts", "douanes", "statistiques", "recensement"]
SUBJECTS_AR = ["الميزانية", "الصفقات العمومية", "التوظيف", "الصحة", "المدارس", "الطرق", "الماء الصالح للشرب",
               "الدعم", "الجمعيات", "المستشفيات", "النقل الحضري", "النفايات", "الشغل", "الجامعات",
               "الفلاحة", "الصيد البحري", "السكن", "الطاقة", "السياحة", "العدالة", "الانتخابات",
               "الجماعات", "الضرائب", "الجمارك", "الإحصاءات", "الإحصاء العام"]
KINDS_FR = ["Rapport annuel", "Statistiques", "Liste", "Répartition", "Évolution", "Indicateurs", "Bilan",
            "Programme", "Annuaire", "Inventaire"]
KINDS_AR = ["التقرير السنوي", "إحصاءات", "لائحة", "توزيع", "تطور", "مؤشرات", "حصيلة", "برنامج", "دليل", "جرد"]
PLACES_FR = ["par région", "par province", "par commune", "au niveau national", "par secteur", "par trimestre"]
PLACES_AR = ["حسب الجهة", "حسب الإقليم", "حسب الجماعة", "على المستوى الوطني", "حسب القطاع", "حسب الفصل"]
SENTENCES_FR = ["Les données couvrent l'ensemble du territoire national.",
                "Le document est mis à jour chaque année par le service compétent.",
                "Les chiffres proviennent des registres administratifs de l'institution.",
                "Cette publication répond à l'article 10 de la loi 31-13.",
                "Les montants sont exprimés en dirhams courants.",
                "La méthodologie est décrite dans la note jointe.",
                "Les données personnelles ont été retirées avant publication."]
SENTENCES_AR = ["تغطي المعطيات مجموع التراب الوطني.", "تحين هذه الوثيقة سنويا من طرف المصلحة المختصة.",
                "الأرقام مستقاة من السجلات الإدارية للمؤسسة.", "ينشر هذا المحتوى تطبيقا للمادة 10 من القانون 31.13.",
                "المبالغ معبر عنها بالدرهم الجاري.", "المنهجية مفصلة في المذكرة المرفقة."]
FORMATS = ["CSV", "XLSX", "PDF", "JSON", "ODS"]
THEMES = ["AGRI", "ECON", "EDUC", "ENVI", "GOVE", "HEAL", "JUST", "SOCI", "TRAN"]
REGIONS = ["national", "oriental", "fes-meknes", "rabat-sale-kenitra", "casablanca-settat", "marrakech-safi"]
CATEGORIES = ["laws", "conventions", "budget", "missions", "circulars", "procedures", "procurement", "recruitment"]
TOPICS = ["governance", "open-government", "public-services", "economy", "social", "environment"]
POLICY_AREAS = ["capacity-building", "e-government", "open-data", "public-participation", "fiscal-transparency",
                "access-to-information", "anti-corruption"]
GROUNDS = ["national-defence", "state-security", "private-life", "deliberations", "economic-policy"]
MILESTONE_STATES = ["not-started", "in-progress", "completed", "completed", "delayed"]
DELIVERIES = ["on-site", "paper", "electronic", "email", "post"]
# Shares of the portal's catalog by type (the rest are datasets); action plans come out of commitments.
SHARES = {"publication": 0.25, "ati-request": 0.20, "commitment": 0.10, "consultation": 0.10}
# Paths of requests through the workflow, as (transition, actor) steps.
ATI_PATHS = [
    [],
    [("start", "officer")],
    [("start", "officer"), ("answer", "officer")],
    [("request_clarification", "officer"), ("clarify", "citizen"), ("answer", "officer")],
    [("start", "officer"), ("refuse", "officer")],
    [("start", "officer"), ("answer_partly", "officer")],
]
ATI_WEIGHTS = [30, 20, 25, 10, 10, 5]

ADMIN, OFFICER, CITIZENS = "bench-admin", "bench-officer", [f"bench-citizen-{i}" for i in range(1, 6)]
WEB_CITIZENS = [f"bench-web-{i}" for i in range(1, 5)]  # the workload's submitters
NEW_PREFIX = "bench-new-"  # names of the workload's package_create
PASSWORD = "Bench-pass-2026"
BATCH = 25  # records per transaction while loading


def plan(flavour: str, size: int) -> list[str]:
    """The type of each record, in loading order (a fixed shuffle)."""
    if flavour == "plain":
        return ["dataset"] * size
    counts = {t: int(share * size) for t, share in SHARES.items()}
    plans = 1 + size // 5000
    counts["action-plan"] = plans
    counts["commitment"] -= plans
    counts["dataset"] = size - sum(counts.values())
    types = [t for t, n in counts.items() for _ in range(n)]
    random.Random(SEED).shuffle(types)
    # Plans first: commitments name them.
    return [t for t in types if t == "action-plan"] + [t for t in types if t != "action-plan"]


class Text:
    """Titles and notes in French and Arabic drawn from a seeded generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def title(self) -> tuple[str, str]:
        i, k, p = (self.rng.randrange(len(SUBJECTS_FR)), self.rng.randrange(len(KINDS_FR)),
                   self.rng.randrange(len(PLACES_FR)))
        year = self.rng.randint(2012, 2026)
        return (f"{KINDS_FR[k]} : {SUBJECTS_FR[i]} {PLACES_FR[p]} ({year})",
                f"{KINDS_AR[k]}: {SUBJECTS_AR[i]} {PLACES_AR[p]} ({year})")

    def notes(self, n: int = 3) -> tuple[str, str]:
        return (" ".join(self.rng.sample(SENTENCES_FR, n)), " ".join(self.rng.sample(SENTENCES_AR, n)))

    def tags(self) -> list[dict[str, str]]:
        return [{"name": t} for t in self.rng.sample(SUBJECTS_FR, 3)]

    def resources(self, n: int) -> list[dict[str, str]]:
        resources = []
        for _ in range(n):
            fmt = self.rng.choice(FORMATS)
            number = self.rng.randrange(10**6)
            resources.append({"name": f"Fichier {number} ({fmt})", "format": fmt,
                              "url": f"https://data.example.ma/files/{number}.{fmt.lower()}",
                              "description": self.rng.choice(SENTENCES_FR)})
        return resources

    def date(self, start: int = 2015, end: int = 2026) -> datetime.date:
        return datetime.date(self.rng.randint(start, end), self.rng.randint(1, 12), self.rng.randint(1, 28))


def record(kind: str, i: int, rng: random.Random, flavour: str) -> dict[str, Any]:
    """The package dict of record ``i``; both flavours draw the same text for the same i."""
    text = Text(rng)
    (title, title_ar), (notes, notes_ar) = text.title(), text.notes()
    org = INSTITUTIONS[i % len(INSTITUTIONS)][0]
    base = {"name": f"bench-{i:06d}", "title": title, "notes": notes, "owner_org": org}
    tags, resources = text.tags(), text.resources(1 + i % 3)
    if flavour == "plain":
        return dict(base, notes=f"{notes}\n\n{title_ar}\n\n{notes_ar}", tags=tags, resources=resources,
                    license_id="odc-by")
    if kind == "dataset":
        return dict(base, type="dataset", notes=f"{notes}\n\n{notes_ar}", tags=tags, resources=resources,
                    license_id="odc-by", theme=rng.choice(THEMES), spatial_region=rng.choice(REGIONS),
                    frequency="annual", language=["ar", "fr"])
    if kind == "publication":
        return dict(base, type="publication", title_ar=title_ar, notes_ar=notes_ar, category=rng.choice(CATEGORIES),
                    publication_date=text.date().isoformat(), resources=resources[:1])
    if kind == "action-plan":
        return dict(base, type="action-plan", title=f"Plan d'action national OGP n° {i}", title_ar=title_ar,
                    notes_ar=notes_ar, country="Morocco", cycle=2018 + i % 8, period_start="2018-08-30",
                    period_end="2020-08-30", plan_status="active")
    if kind == "commitment":
        milestones = []
        for m in range(rng.randint(2, 5)):
            start = text.date(2019, 2025)
            milestones.append({"title": f"Jalon {m + 1} : {rng.choice(KINDS_FR)} {rng.choice(SUBJECTS_FR)}",
                               "start": start.strftime("%Y-%m"), "end": f"{start.year + 1}-{start.month:02d}",
                               "weight": rng.randint(1, 3), "state": rng.choice(MILESTONE_STATES)})
        return dict(base, type="commitment", ogp_id=f"{chr(65 + i // 260000 % 26)}{chr(65 + i // 10000 % 26)}{i % 10000:04d}",
                    title_ar=title_ar, commitment_status="active", action_plan=f"bench-{0:06d}",
                    policy_areas=rng.sample(POLICY_AREAS, 2), start_date="2021-01-01", end_date="2026-12-31",
                    public_problem=rng.choice(SENTENCES_FR), milestones=milestones)
    if kind == "consultation":
        opens = datetime.datetime.combine(text.date(2024, 2027), datetime.time(9))
        return dict(base, type="consultation", title_ar=title_ar, notes_ar=notes_ar, topic=rng.choice(TOPICS),
                    opens_at=opens.isoformat() + "+01:00",
                    closes_at=(opens + datetime.timedelta(days=60)).isoformat() + "+01:00",
                    resources=resources[:1])
    if kind == "ati-request":  # the arguments of transparency_ati_request_submit
        return {"owner_org": org, "title": title, "notes": notes, "delivery": rng.choice(DELIVERIES),
                "full_name": "Demandeur de test", "id_number": f"BE{i:06d}", "address": "1 rue du Banc, Rabat",
                "email": f"bench{i}@bench.test", "path": rng.choices(range(len(ATI_PATHS)), ATI_WEIGHTS)[0]}
    raise ValueError(kind)


def _people(tk: Any, model: Any, context: Callable[[], dict[str, Any]]) -> None:
    """The sysadmin, the officer (editor of every institution), citizens, and the institutions."""
    for name in [ADMIN, OFFICER] + CITIZENS + WEB_CITIZENS:
        if model.User.get(name) is None:
            tk.get_action("user_create")(context(), {"name": name, "email": f"{name}@bench.test", "password": PASSWORD})
    admin = model.User.get(ADMIN)
    admin.sysadmin = True
    model.Session.commit()
    for name, title, title_ar in INSTITUTIONS:
        try:
            tk.get_action("organization_show")(context(), {"id": name})
        except tk.ObjectNotFound:
            tk.get_action("organization_create")(context(), {"name": name, "title": title, "description": title_ar})
        tk.get_action("organization_member_create")(context(), {"id": name, "username": OFFICER, "role": "editor"})


def _submit(tk: Any, data: dict[str, Any], i: int) -> str:
    steps = ATI_PATHS[data.pop("path")]
    citizen = CITIZENS[i % len(CITIZENS)]
    pkg = tk.get_action("transparency_ati_request_submit")({"user": citizen}, data)
    move = tk.get_action("transparency_ati_request_transition")
    for transition, actor in steps:
        args = {"id": pkg["id"], "transition": transition, "note": "Réponse de l'institution / جواب المؤسسة"}
        if transition in ("answer", "answer_partly"):
            args["answer"] = "Les documents demandés sont publiés sur le site de l'institution."
        if transition in ("refuse", "answer_partly"):
            args["ground"] = GROUNDS[i % len(GROUNDS)]
        move({"user": citizen if actor == "citizen" else OFFICER}, args)
    return pkg["id"]


def _site_context(tk: Any) -> Callable[..., dict[str, Any]]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    return lambda **extra: dict({"user": site_user, "ignore_auth": True}, **extra)


def _load_records(tk: Any, model: Any, flavour: str, size: int, indexes: list[int]) -> list[str]:
    """Creates the records ``indexes`` of the catalog that are not there yet (so loading resumes),
    committing every BATCH records. Returns the ids of the packages created."""
    context = _site_context(tk)
    kinds = plan(flavour, size)
    done = {name for (name,) in model.Session.query(model.Package.name).filter(model.Package.name.like("bench-%"))}
    filed: set[str] = set()
    if flavour == "portal":
        from ckanext.transparency.model import AtiRequester
        filed = {number for (number,) in model.Session.query(AtiRequester.id_number)}
    created, pending = [], 0
    for i in indexes:
        data = record(kinds[i], i, random.Random(SEED * 1_000_003 + i), flavour)
        if kinds[i] == "ati-request":  # named by its tracking number: known by its requester's id number
            if data["id_number"] not in filed:
                created.append(_submit(tk, data, i))  # commits, with the records before it
                pending = 0
        elif data["name"] not in done:
            created.append(tk.get_action("package_create")(context(defer_commit=True, return_id_only=True), data))
            pending += 1
            if pending >= BATCH:
                model.repo.commit()
                pending = 0
    model.repo.commit()
    return created


def _load_part(tk: Any, model: Any, args: argparse.Namespace) -> None:
    """One loading process: the records i % jobs == part, saved without indexing each change
    (a request and its transitions, or a package and its resources, are indexed once at the end),
    each commit without waiting for the disk (a lost catalog is loaded again)."""
    import ckan.plugins as plugins
    from ckan.lib import search
    from sqlalchemy import event

    plugins.unload("synchronous_search")

    @event.listens_for(model.meta.engine, "connect")
    def _no_sync(connection: Any, record: Any) -> None:
        connection.autocommit = True  # a SET inside a transaction would go with its rollback
        connection.cursor().execute("SET synchronous_commit TO off")
        connection.autocommit = False

    model.meta.engine.dispose()
    created = _load_records(tk, model, args.flavour, args.size,
                            list(range(args.part, len(plan(args.flavour, args.size)), args.jobs)))
    search.rebuild(package_ids=created, defer_commit=True, quiet=True)


def load(tk: Any, model: Any, args: argparse.Namespace) -> None:
    """Loads the catalog: people, then the records that others refer to (action plans, every
    tag) in this process, then the rest in ``args.jobs`` processes, showing progress."""
    from ckan.lib import search

    kinds = plan(args.flavour, args.size)
    _people(tk, model, _site_context(tk))
    if _count(model, args.flavour) == len(kinds):
        print(f"  {args.flavour} {args.size}: the {len(kinds)} records are there (cached)")
        search.rebuild(only_missing=True, defer_commit=True, quiet=True)  # what an interrupted run left out
        return
    # Action plans come first in the plan; records up to the last new tag follow, so that the
    # processes never race to create the same plan or tag.
    seen: set[str] = set()
    first = 0
    while first < len(kinds) and (kinds[first] == "action-plan" or len(seen) < len(SUBJECTS_FR)):
        data = record(kinds[first], first, random.Random(SEED * 1_000_003 + first), args.flavour)
        seen.update(t["name"] for t in data.get("tags", []))
        first += 1
    _load_records(tk, model, args.flavour, args.size, list(range(first)))
    children = [subprocess.Popen([sys.executable, __file__, "--ini", args.ini, "--flavour", args.flavour,
                                  "--size", str(args.size), "--part", str(part), "--jobs", str(args.jobs)])
                for part in range(args.jobs)]
    began, before = time.monotonic(), _count(model, args.flavour)
    while True:
        running = [c for c in children if c.poll() is None]
        count = _count(model, args.flavour)
        rate = (count - before) / max(time.monotonic() - began, 1)
        print(f"\r  {args.flavour} {args.size}: {count}/{len(kinds)} records saved ({rate:.1f}/s), "
              f"{_indexed(tk)} indexed   ", end="", flush=True)
        if not running:
            break
        time.sleep(3)
    print()
    if any(c.returncode for c in children) or count < len(kinds):
        raise SystemExit(f"loading failed: {count} of {len(kinds)} records loaded (rerun to resume)")
    search.rebuild(only_missing=True, defer_commit=True, quiet=True)  # what an interrupted run left out


def _indexed(tk: Any) -> int:
    return tk.get_action("package_search")({"ignore_auth": True}, {"rows": 0, "include_private": True})["count"]


def _count(model: Any, flavour: str) -> int:
    """Records of the catalog in the database (the workload's excluded)."""
    model.Session.remove()
    names = model.Session.query(model.Package).filter(model.Package.name.like("bench-%"),
                                                      ~model.Package.name.like(NEW_PREFIX + "%")).count()
    if flavour == "plain":
        return names
    from ckanext.transparency.model import AtiRequester
    citizens = [model.User.get(name).id for name in CITIZENS]
    return names + model.Session.query(AtiRequester).filter(AtiRequester.user_id.in_(citizens)).count()


def purge_workload(tk: Any, model: Any, flavour: str) -> int:
    """Purges what the workload created: its packages and the requests its citizens filed."""
    ids = [pid for (pid,) in model.Session.query(model.Package.id).filter(model.Package.name.like(NEW_PREFIX + "%"))]
    if flavour == "portal":
        from ckanext.transparency.model import AtiRequester
        web = [model.User.get(name).id for name in WEB_CITIZENS if model.User.get(name)]
        ids += [pid for (pid,) in model.Session.query(AtiRequester.package_id).filter(AtiRequester.user_id.in_(web))]
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    # CKAN's index hook looks each purged package up and logs a traceback when it is gone: expected here.
    hook = logging.getLogger("ckan.model.modification")
    level, hook.level = hook.level, logging.CRITICAL
    for pid in ids:
        tk.get_action("dataset_purge")({"user": site_user, "ignore_auth": True}, {"id": pid})
    hook.setLevel(level)
    return len(ids)


def write_tokens(tk: Any, path: str) -> None:
    """API tokens of the sysadmin (package_create) and of the workload's citizens (submissions)."""
    def token(user: str) -> str:
        return tk.get_action("api_token_create")({"user": user, "ignore_auth": True},
                                                 {"user": user, "name": "bench"})["token"]
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"admin": token(ADMIN), "citizens": [token(name) for name in WEB_CITIZENS]}, f)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ini", required=True)
    parser.add_argument("--flavour", choices=["plain", "portal"], required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--purge", action="store_true", help="only purge what the workload created")
    parser.add_argument("--tokens", help="write API tokens for the workload into this JSON file")
    parser.add_argument("--jobs", type=int, default=3, help="loading processes")
    parser.add_argument("--part", type=int, help=argparse.SUPPRESS)  # a loading process: records i % jobs == part
    args = parser.parse_args()

    from ckan.cli import CKANConfigLoader
    from ckan.config.middleware import make_app
    import ckan.plugins.toolkit as tk
    from ckan import model
    from ckan.lib import search

    logging.config.fileConfig(args.ini, disable_existing_loggers=False)
    app = make_app(CKANConfigLoader(args.ini).get_config())
    with app._wsgi_app.test_request_context():
        # One Solr commit at the end instead of one per record (Solr soft-commits every second anyway).
        tk.config["ckan.search.solr_commit"] = False
        if args.part is not None:
            _load_part(tk, model, args)
            return 0
        purged = purge_workload(tk, model, args.flavour)
        if purged:
            print(f"  {args.flavour} {args.size}: purged {purged} records created by the workload")
        if not args.purge:
            load(tk, model, args)
        if args.tokens:
            write_tokens(tk, args.tokens)
        search.commit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
