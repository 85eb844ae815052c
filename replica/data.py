"""Deterministic synthetic newsrooms: the ground truth the replica server renders.

Each site gets a few hundred stories spread over 2024-2025 (Asia/Ho_Chi_Minh), generated from
seeded templates (replica/vocab.py), so tests can compare what the pipeline harvested with
what was published: titles, leads, paragraphs, bylines, dates, categories, tags, and which pages
robots.txt forbids or the site has removed. ``dataset()`` is cached: call it freely.
"""

from __future__ import annotations

import random
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cached_property, lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

from replica import vocab
from scrapers.errors import ProvnewsError

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2024, 1, 1, tzinfo=TZ)
END = datetime(2026, 1, 1, tzinfo=TZ)  # exclusive; also every dataset's "now"
MIN_WORDS, MAX_WORDS = 150, 600
DISALLOWED_SHARE, REMOVED_SHARE, ENCODED_SHARE, MODIFIED_SHARE = 0.02, 0.01, 0.02, 0.15


@dataclass(frozen=True)
class Category:
    key: str  # thoi-su | kinh-te | xa-hoi (shared across sites)
    name: str
    path: str  # listing page 1, e.g. /thoi-su or /channel/2025/
    feed: str  # per-category RSS path ("" where the family has none)
    channel: int | None = None  # baoquangngai channel id, legacy CatID


@dataclass(frozen=True)
class Image:
    src: str
    caption: str  # ends with the photo credit, "… Ảnh: P.Y"


@dataclass(frozen=True)
class Article:
    """One published story as its site shows it; text fields are clean ground truth (NFC)."""

    id: int
    site: str
    url: str  # on the REAL host
    path: str
    slug: str
    title: str
    lead: str  # without the paper's "(Baothanhhoa.vn) - " style prefix
    paragraphs: tuple[str, ...]  # body text, the site's closing sentence last
    byline: str  # as printed: "Tin, ảnh: P.Y"
    author: str  # the name inside the byline: "P.Y"
    published_at: datetime
    modified_at: datetime | None
    category: Category
    tags: tuple[str, ...]
    images: tuple[Image, ...]
    theme: str
    related: tuple[tuple[str, str], ...] = ()  # (title, url) of earlier stories, "Tin liên quan"
    disallowed: bool = False  # lives under a robots.txt Disallow path
    removed: bool = False  # still in sitemaps, but the page answers 404
    # how the body is delivered: html | ebody | ebody_script (dcontent, base64 decoded by JS) |
    # js_html | js_html_ascii | output_data (baoquangngai, JS string literal)
    body_mode: str = "html"

    @property
    def lastmod(self) -> datetime:
        return self.modified_at or self.published_at

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    @property
    def crawlable(self) -> bool:
        """A polite crawler can and should end up with this article."""
        return not (self.disallowed or self.removed)


@dataclass(frozen=True)
class SiteSpec:
    slug: str
    name: str
    host: str
    family: str  # dcontent | phunu | quangngai | wordpress | legacy | jsonld
    province: str | None  # None: a national paper, stories from many provinces
    short: str  # how another paper credits it in a title prefix
    lead_prefix: str
    categories: tuple[Category, ...]
    main_feed: str  # "" for a site without feeds
    disallow: tuple[str, ...]
    first_id: int
    news_sitemap: bool = False

    @property
    def base_url(self) -> str:
        return f"https://{self.host}"

    def category(self, key: str) -> Category:
        return next(c for c in self.categories if c.key == key)


def _cats(family: str) -> tuple[Category, ...]:
    names = {"thoi-su": "Thời sự", "kinh-te": "Kinh tế", "xa-hoi": "Xã hội"}
    if family == "wordpress":
        return tuple(Category(k, n, f"/category/{k}/", "") for k, n in names.items())
    if family == "legacy":
        return tuple(Category(k, n, f"/Index.aspx?CatID={LEGACY_CATIDS[k]}", "", LEGACY_CATIDS[k])
                     for k, n in names.items())
    if family == "jsonld":
        return tuple(Category(k, n, f"/{k}", "") for k, n in names.items())
    if family == "quangngai":
        channels = {"thoi-su": 2025, "kinh-te": 2027, "xa-hoi": 2030}
        return tuple(Category(k, n, f"/channel/{channels[k]}/", f"/rss/channel-{channels[k]}.xml",
                              channels[k]) for k, n in names.items())
    ext = "rss" if family == "phunu" else "xml"
    return tuple(Category(k, n, f"/{k}", f"/rss/{k}.{ext}") for k, n in names.items())


QUANGNGAI_HIDDEN_CHANNEL = 9999
LEGACY_CATIDS = {"thoi-su": 3, "kinh-te": 5, "xa-hoi": 7}
LEGACY_HIDDEN_CATID = 99  # the legacy site's internal news, disallowed by robots.txt
SPECS: dict[str, SiteSpec] = {s.slug: s for s in (
    SiteSpec("baothanhhoa", "Báo Thanh Hóa", "baothanhhoa.vn", "dcontent", "Thanh Hóa",
             "Thanh Hóa", "(Baothanhhoa.vn) - ", _cats("dcontent"), "/rss/tin-moi-nhat.xml",
             ("/admin/", "/noi-bo-"), 183_000, news_sitemap=True),
    SiteSpec("baophutho", "Báo Phú Thọ", "baophutho.vn", "dcontent", "Phú Thọ", "Phú Thọ",
             "PTO- ", _cats("dcontent"), "/rss/tin-moi-nhat.xml", ("/admin/", "/noi-bo-"),
             221_000),
    SiteSpec("phunuvietnam", "Báo Phụ nữ Việt Nam", "phunuvietnam.vn", "phunu", None, "PNVN",
             "(PNVN) - ", _cats("phunu"), "/rss/home.rss", ("/admin/", "/noi-bo-"), 0),
    SiteSpec("baoquangngai", "Báo Quảng Ngãi", "baoquangngai.vn", "quangngai", "Quảng Ngãi",
             "Quảng Ngãi", "(Báo Quảng Ngãi)- ", _cats("quangngai"), "/rss/tin-moi.xml",
             ("/admin/", f"/channel/{QUANGNGAI_HIDDEN_CHANNEL}/"), 2_900),
    SiteSpec("baodanang", "Báo Đà Nẵng", "baodanang.vn", "wordpress", "Đà Nẵng", "Đà Nẵng", "",
             _cats("wordpress"), "/feed/", ("/wp-admin/", "/noi-bo/"), 41_000),
    SiteSpec("baolangson", "Báo Lạng Sơn", "baolangson.vn", "legacy", "Lạng Sơn", "Lạng Sơn",
             "(BLS) - ", _cats("legacy"), "",
             ("/Admin/", f"/Index.aspx?CatID={LEGACY_HIDDEN_CATID}&"), 12_000),
    SiteSpec("baonghean", "Báo Nghệ An", "baonghean.vn", "jsonld", "Nghệ An", "Nghệ An",
             "(Baonghean.vn) - ", _cats("jsonld"), "", ("/admin/", "/noi-bo/"), 280_000),
)}


def site_spec(slug: str) -> SiteSpec:
    if slug not in SPECS:
        raise ProvnewsError(f"no replica for site '{slug}'; replicas: {', '.join(sorted(SPECS))}")
    return SPECS[slug]


@dataclass(frozen=True, eq=False)
class ReplicaSite:
    """A generated site: its articles (oldest first), its clock, and syndication ground truth."""

    spec: SiteSpec
    articles: tuple[Article, ...]
    now: datetime = END
    republished: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    exact_copies: frozenset[str] = frozenset()  # republished URLs whose body is an exact copy

    @property
    def slug(self) -> str:
        return self.spec.slug

    @property
    def host(self) -> str:
        return self.spec.host

    @property
    def base_url(self) -> str:
        return self.spec.base_url

    @cached_property
    def _published(self) -> list[datetime]:
        return [a.published_at for a in self.articles]

    def articles_between(self, start: datetime, end: datetime) -> list[Article]:
        """Articles published in [start, end), oldest first."""
        lo, hi = bisect_left(self._published, start), bisect_left(self._published, end)
        return list(self.articles[lo:hi])

    @cached_property
    def by_path(self) -> dict[str, Article]:
        return {a.path: a for a in self.articles}

    @cached_property
    def by_url(self) -> dict[str, Article]:
        return {a.url: a for a in self.articles}

    @cached_property
    def by_id(self) -> dict[int, Article]:
        return {a.id: a for a in self.articles}


# ---------------------------------------------------------------------------------- text helpers

def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def ascii_slug(text: str, max_words: int = 12) -> str:
    """The CMS-style URL slug: diacritics dropped, đ → d, words joined by hyphens."""
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    words = re.findall(r"[a-z0-9]+", plain.encode("ascii", "ignore").decode().lower())
    return "-".join(words[:max_words])


def _int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _dec(x: float) -> str:
    return f"{x:.1f}".replace(".", ",").removesuffix(",0")


def _female(rng: random.Random) -> tuple[str, str]:
    given = rng.choice(vocab.FEMALE_GIVEN)
    return f"{rng.choice(vocab.SURNAMES)} {rng.choice(vocab.FEMALE_MIDDLE)} {given}", given


def _male(rng: random.Random) -> tuple[str, str]:
    given = rng.choice(vocab.MALE_GIVEN)
    return f"{rng.choice(vocab.SURNAMES)} {rng.choice(vocab.MALE_MIDDLE)} {given}", given


def _slots(rng: random.Random, spec: SiteSpec, published: datetime) -> dict[str, str]:
    """Every value a template may ask for; one draw per story keeps stories distinct."""
    r = rng.randint
    province = spec.province or rng.choice(vocab.NATIONAL_PROVINCES)
    c1, c2 = rng.sample(vocab.COMMUNES.get(spec.province or "", vocab.GENERIC_COMMUNES), 2)
    kind = "phường" if rng.random() < 0.15 else "xã"
    (product, coop_type), (product2, coop_type2) = rng.sample(vocab.PRODUCTS, 2)
    coop_word = "HTX" if rng.random() < 0.3 else "Hợp tác xã"
    person, given = _female(rng)
    member_name, member_given = _female(rng)
    official, _ = _female(rng)
    official_m, _ = _male(rng)
    person_m, person_m_given = _male(rng)
    year = published.year
    year_founded = r(2010, year - 2)
    members = r(25, 320)
    women_pct = r(62, 100)
    jobs = r(15, 180)
    income = rng.uniform(3.5, 12.0)
    area = r(5, 120)
    target_coops = r(60, 400)
    crop, crop2 = rng.choice(vocab.CROPS), rng.choice(vocab.CROPS_NEW)
    values: dict[str, object] = {
        "province": province, "commune": f"{kind} {c1}", "commune_name": c1,
        "commune_cap": f"{kind.capitalize()} {c1}", "commune2": f"xã {c2}",
        "village": f"{rng.choice(vocab.VILLAGE_KINDS)} {rng.choice(vocab.VILLAGES)}",
        "person": person, "given": given, "member_name": member_name,
        "member_given": member_given, "official": official, "official_m": official_m,
        "person_m": person_m, "person_m_given": person_m_given,
        "coop": f"{coop_word} {coop_type} {c1}", "coop2": f"Hợp tác xã {coop_type2} {c2}",
        "product": product, "Product": product[0].upper() + product[1:], "product2": product2,
        "year": year, "last_year": year - 1, "year_founded": year_founded,
        "ocop_year": r(max(year_founded + 1, 2019), year), "base_year": year - r(2, 4),
        "period": "2021 - 2025", "years": year - 2017,
        "day": published.day, "month": published.month,
        "founding_members": r(7, 15), "members": members,
        "women_members": round(members * women_pct / 100), "women_pct": women_pct,
        "board": r(3, 7), "new_low": r(3, 8), "new_high": r(10, 25),
        "jobs": jobs, "seasonal_jobs": jobs + r(20, 150), "daily_wage": r(15, 35) * 10,
        "income": _dec(income), "income_low": _dec(income * rng.uniform(0.4, 0.7)),
        "income_growth": r(20, 80), "revenue": _dec(rng.uniform(0.8, 18)),
        "profit": _int(r(120, 1500)), "start_capital": r(20, 300),
        "area": area, "target_area": area + r(10, 80), "output": r(10, 400),
        "stars": rng.choice((3, 3, 3, 4, 4, 5)), "price_growth": r(10, 45),
        "partners": r(2, 15), "online_orders": _int(r(200, 3000)), "loan": r(1, 16) * 50,
        "workshop": r(120, 900), "target_members": members + r(30, 200),
        "target_jobs": _int(jobs + r(40, 400)), "target_ocop": r(2, 6),
        "target_coops": target_coops, "current_coops": r(25, target_coops - 10),
        "coop_growth": r(5, 40), "union_members": _int(r(800, 9000)),
        "union_jobs": _int(r(1500, 20000)), "new_coops": r(5, 60), "new_groups": r(10, 120),
        "loan_total": _dec(rng.uniform(5, 90)), "loan_households": _int(r(300, 6000)),
        "trainings": r(12, 150), "trainees": _int(r(600, 12000)), "target_new": r(5, 30),
        "award_groups": r(5, 30), "award_people": r(10, 60), "stalls": r(40, 300),
        "ocop_new": r(8, 60), "ocop_total": r(12, 120), "ocop_province": r(200, 900),
        "ocop_4": r(1, 9), "craft_years": r(5, 30), "women_ocop_pct": r(40, 75),
        "months": r(4, 18), "stores": r(3, 40), "ocop_support": rng.choice((10, 15, 20, 30)),
        "target_ocop_province": r(900, 1500), "target_5star": r(3, 12),
        "crop": crop, "crop2": crop2, "season": rng.choice(vocab.SEASONS),
        "yield_": r(48, 78), "pct": r(60, 95), "price": r(7, 40), "profit_sao": _dec(
            rng.uniform(0.8, 4.5)), "households": r(40, 600), "link_area": r(10, 300),
        "times": r(2, 5), "sao": r(2, 15), "income_crop": r(10, 120),
        "km": _dec(rng.uniform(1.5, 25)), "bridge": rng.choice(vocab.BRIDGES),
        "budget": _dec(rng.uniform(5, 450)), "width": _dec(rng.uniform(3.5, 7.5)),
        "detour": r(3, 15), "minutes": r(10, 40), "projects": r(6, 40),
        "patients": r(80, 600), "abnormal": r(5, 60), "budget_m": r(80, 900),
        "gifts": r(20, 200), "screen_pct": r(15, 45), "target_screen": r(60, 90),
        "sessions": _int(r(120, 2500)), "age_low": r(25, 35), "age_high": r(50, 60),
        "doctors": r(8, 40), "gift_value": r(5, 30) * 10, "age_first": r(35, 55),
        "clubs": r(10, 120), "communes_n": r(5, 60), "next_year": year + 1,
        "old_km": _dec(rng.uniform(1, 20)), "land": _int(r(800, 25000)),
        "land_max": r(100, 900), "workdays": _int(r(200, 4000)), "coops_n": r(2, 15),
        "rural_pct": r(80, 98), "delegates": r(60, 300), "link_households": r(100, 900),
        "debt": _dec(rng.uniform(100, 4000)), "digital": r(10, 150),
        "avg_members": r(12, 40), "weak": r(3, 30), "trainees_coop": r(20, 200),
        "poor_out": r(3, 60), "input_growth": r(5, 30), "design_support": r(10, 80),
        "groups": r(3, 6), "fairs": r(2, 12), "coop_groups": r(2, 20),
        "greenhouse": _int(r(300, 5000)), "flooded": r(3, 80),
    }
    return {k: str(v) for k, v in values.items()}


def _fill(template: str, slots: dict[str, str]) -> str:
    return nfc(template.format(**slots))


def _body(rng: random.Random, theme: vocab.Theme, slots: dict[str, str], closing: str
          ) -> tuple[str, ...]:
    """4-11 paragraphs of 1-3 sentences from the theme's sections, then the closing line,
    trimmed or padded so the body stays within MIN_WORDS..MAX_WORDS."""
    count = rng.randint(4, min(11, len(theme.sections)))
    chosen = [0, *sorted(rng.sample(range(1, len(theme.sections)), count - 1))]
    paras: list[list[str]] = []
    spare: list[list[str]] = []
    for i in chosen:
        pool = [_fill(s, slots) for s in theme.sections[i]]
        keep = set(rng.sample(range(len(pool)), rng.randint(1, min(3, len(pool)))))
        paras.append([s for j, s in enumerate(pool) if j in keep])
        spare.append([s for j, s in enumerate(pool) if j not in keep])

    def words() -> int:
        return sum(len(s.split()) for p in paras for s in p) + len(closing.split())

    while words() > MAX_WORDS:
        longest = max(paras, key=len)
        if len(longest) == 1:
            paras.pop(len(paras) // 2)  # still >= 4 paragraphs: no section runs over 600 words
        else:
            longest.pop()
    for para, extra in zip(paras, spare, strict=True):
        while words() < MIN_WORDS and extra:
            para.append(extra.pop(0))
    return (*(" ".join(p) for p in paras), closing)


# ------------------------------------------------------------------------------ site generation

class _Ids:
    """Article ids the family's URLs carry: a growing counter, or a 17-digit timestamp."""

    def __init__(self, spec: SiteSpec, rng: random.Random, start: int):
        self.spec, self.rng, self.next = spec, rng, start
        self.used: set[int] = set()

    def __call__(self, published: datetime) -> int:
        if self.spec.family == "phunu":
            base = int(published.strftime("%Y%m%d%H%M%S")) * 1000
            n = base + self.rng.randint(0, 999)
            while n in self.used:
                n += 1
        else:
            n = self.next
            self.next += self.rng.randint(*((3, 40) if self.spec.family == "dcontent" else (1, 9)))
        self.used.add(n)
        return n


def article_path(spec: SiteSpec, slug: str, id_: int, published: datetime, category: Category,
                 disallowed: bool = False) -> str:
    """The family's URL scheme; disallowed stories sit under the robots.txt Disallow prefix."""
    if spec.family == "quangngai":
        channel = QUANGNGAI_HIDDEN_CHANNEL if disallowed else category.channel
        return f"/channel/{channel}/{published:%Y%m}/{slug}-{id_}/"
    if spec.family == "wordpress":
        return f"/{'noi-bo/' if disallowed else ''}{published:%Y/%m}/{slug}/"
    if spec.family == "legacy":  # query keys in the order canonicalisation sorts them
        cat_id = LEGACY_HIDDEN_CATID if disallowed else category.channel
        return f"/Index.aspx?CatID={cat_id}&ID={id_}"
    if spec.family == "jsonld":
        return f"/{'noi-bo' if disallowed else 'tin-tuc'}/{slug}-post{id_}.html"
    return f"/{'noi-bo-' if disallowed else ''}{slug}-{id_}.htm"


def unique_path(spec: SiteSpec, slug: str, id_: int, published: datetime, category: Category,
                taken: set[str], disallowed: bool = False) -> tuple[str, str]:
    """(slug, path) not in ``taken`` (then added): URLs without an id, as WordPress
    permalinks, repeat a slug within a month, and the CMS then appends -2, -3 ..."""
    base, n = slug, 1
    while (path := article_path(spec, slug, id_, published, category, disallowed)) in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(path)
    return slug, path


def _timestamps(rng: random.Random, size: int) -> list[datetime]:
    """Minute-precision times over 2024-2025, daytime-heavy, with a few in the last 48 h so the
    Google News sitemap is never empty."""
    recent = max(3, size // 100)
    days = (END - START).days
    times = [START + timedelta(days=rng.randrange(days), minutes=rng.randint(5 * 60, 22 * 60 + 59))
             for _ in range(size - recent)]
    times += [END - timedelta(minutes=rng.randint(15, 46 * 60)) for _ in range(recent)]
    return sorted(times)


def _pick(rng: random.Random, candidates: list[int], share: float) -> set[int]:
    return set(rng.sample(candidates, min(len(candidates), max(1, round(share * len(candidates))))))


def _generate(spec: SiteSpec, size: int) -> ReplicaSite:
    rng = random.Random(f"provnews-replica:{spec.slug}")
    times = _timestamps(rng, size)
    ids = _Ids(spec, rng, spec.first_id)
    authors = vocab.AUTHORS[spec.slug]
    closing = nfc(vocab.CLOSINGS[spec.slug])
    weights = [t.weight for t in vocab.THEMES]
    older = list(range(size - max(3, size // 100)))  # keep the newest 48 h ordinary
    disallowed = _pick(rng, older, DISALLOWED_SHARE)
    removed = _pick(rng, [i for i in older if i not in disallowed], REMOVED_SHARE)
    encoded = (_pick(rng, [i for i in older if i not in disallowed | removed], ENCODED_SHARE)
               if spec.family == "dcontent" else set())
    titles: set[str] = set()
    paths: set[str] = set()
    articles: list[Article] = []
    for i, published in enumerate(times):
        theme = rng.choices(vocab.THEMES, weights)[0]
        for _ in range(50):
            slots = _slots(rng, spec, published)
            title = _fill(rng.choice(theme.titles), slots)
            if title not in titles:
                break
        titles.add(title)
        author = rng.choice(authors)
        prefix = rng.choice(vocab.BYLINE_PREFIXES[spec.slug])
        credit = author if "ảnh" in prefix else rng.choice(authors)
        captions = rng.sample(theme.captions, rng.choice((1, 1, 2, 2, 3)))
        id_ = ids(published)
        category = spec.category(theme.category)
        slug, path = unique_path(spec, ascii_slug(title), id_, published, category, paths,
                                 i in disallowed)
        modified = (published + timedelta(minutes=rng.randint(30, 20 * 24 * 60))
                    if rng.random() < MODIFIED_SHARE else None)
        earlier = [a for a in articles[-40:] if a.crawlable]
        related = tuple((a.title, a.url) for a in rng.sample(earlier, min(2, len(earlier))))
        if spec.family == "quangngai":
            mode = rng.choices(("js_html", "js_html_ascii", "output_data", "html"),
                               (45, 20, 20, 15))[0]
        else:
            mode = ("ebody", "ebody_script")[i % 2] if i in encoded else "html"
        articles.append(Article(
            id=id_, site=spec.slug, url=spec.base_url + path, path=path, slug=slug, title=title,
            lead=_fill(rng.choice(theme.leads), slots),
            paragraphs=_body(rng, theme, slots, closing),
            byline=nfc(prefix + author), author=author, published_at=published,
            modified_at=modified if modified and modified < END else None, category=category,
            tags=tuple(nfc(t) for t in rng.sample(theme.tags, rng.randint(2, 4))),
            images=tuple(
                Image(f"{spec.base_url}/uploads/{published:%Y/%m/%d}/{id_}-{k + 1}.jpg",
                      _fill(c, slots) + f" Ảnh: {credit}") for k, c in enumerate(captions)),
            theme=theme.name, related=related, disallowed=i in disallowed,
            removed=i in removed, body_mode=mode))
    return ReplicaSite(spec, tuple(articles))


def _republish(target: ReplicaSite, source: ReplicaSite, fraction: float, seed: int
               ) -> ReplicaSite:
    """``target`` plus copies of ``fraction`` of ``source``'s stories, a few hours later.

    A third of the copies keep title and body byte for byte; the rest get a title prefix
    crediting the source, an extra closing paragraph and a re-credited photo caption."""
    spec = target.spec
    rng = random.Random(f"republish:{source.slug}>{spec.slug}:{fraction}:{seed}")
    pool = [a for a in source.articles if a.crawlable and a.published_at < source.now
            - timedelta(days=1)]
    picked = sorted(rng.sample(pool, round(fraction * len(source.articles))),
                    key=lambda a: a.published_at)
    exact = set(rng.sample(range(len(picked)), round(len(picked) / 3)))
    ids = _Ids(spec, rng, max(a.id for a in target.articles) + 1000)
    ids.used.update(a.id for a in target.articles)
    paths = {a.path for a in target.articles}
    copies: list[Article] = []
    mapping: dict[str, str] = {}
    for j, orig in enumerate(picked):
        published = orig.published_at + timedelta(minutes=rng.randint(120, 600))
        category = spec.category(orig.category.key)
        copy = replace(orig, site=spec.slug, published_at=published, modified_at=None,
                       category=category, related=(),
                       body_mode="js_html" if spec.family == "quangngai" else "html",
                       byline=orig.author if spec.family == "phunu" else orig.byline)
        if j not in exact:
            note = nfc(rng.choice(vocab.REPUBLISH_NOTES).format(source=source.spec.name))
            copy = replace(copy, title=f"{source.spec.short}: {orig.title}",
                           paragraphs=(*orig.paragraphs, note),
                           images=tuple(replace(im, caption=im.caption.rsplit(" Ảnh: ", 1)[0]
                                                + f" Ảnh: {source.spec.name}")
                                        for im in orig.images))
        id_ = ids(published)
        slug, path = unique_path(spec, ascii_slug(copy.title), id_, published, category, paths)
        copy = replace(copy, id=id_, slug=slug, path=path, url=spec.base_url + path)
        copies.append(copy)
        mapping[copy.url] = orig.url
    articles = tuple(sorted((*target.articles, *copies), key=lambda a: a.published_at))
    return ReplicaSite(spec, articles, target.now, MappingProxyType(mapping),
                       frozenset(copies[j].url for j in exact))


@lru_cache(maxsize=32)
def dataset(slug: str, *, size: int = 600, republish_from: str | None = None,
            fraction: float = 0.3, seed: int = 0) -> ReplicaSite:
    """The replica site ``slug``: ``size`` stories, always the same for the same arguments.

    With ``republish_from``, the site also republishes ``fraction`` of that site's stories
    (``dataset(republish_from, size=size)``, exactly what its own replica serves); ``seed``
    varies only that draw, so the site's own stories never change."""
    spec = site_spec(slug)
    if republish_from is None:
        return _generate(spec, size)
    if republish_from == slug:
        raise ProvnewsError("a site cannot republish itself")
    return _republish(dataset(slug, size=size), dataset(republish_from, size=size), fraction,
                      seed)
