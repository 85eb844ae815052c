"""Template learning on synthetic pages of a made-up site: which selectors, boilerplate
blocks, exclusions and lead prefix it learns, what applying them gives, and the template's
JSON, YAML and confidence."""

from __future__ import annotations

import random
from datetime import datetime

import pytest
import yaml

from scrapers.dates import VN_TZ
from scrapers.extract import extract_article
from scrapers.extract.model import Article
from scrapers.registry import ExtractRules
from scrapers.settings import Settings
from scrapers.templates.confidence import extract_confidence
from scrapers.templates.learn import learn_template
from scrapers.templates.model import Rule, Template
from scrapers.templates.review import review_yaml

SETTINGS = Settings()
_VOCABULARY = ("hợp tác xã phụ nữ thành viên sản phẩm ocop thu nhập huyện xã tỉnh mô hình "
               "kinh tế chăn nuôi trồng trọt năm nay tăng giảm triệu đồng lao động việc làm "
               "nông thôn mới chương trình hỗ trợ vốn vay hội liên hiệp sản xuất tiêu thụ")
WORDS = _VOCABULARY.split()
MENU = ("Trang chủ", "Thời sự", "Kinh tế", "Xã hội")
FOOTER = "© Báo Tin Tỉnh. Giấy phép hoạt động báo điện tử số 123/GP-BTTTT."
SIGNOFF = "Mời bạn đọc theo dõi các tin, bài tiếp theo trên Báo Tin Tỉnh điện tử."
PROMO = "Tải ứng dụng Báo Tin Tỉnh"  # set in every body as a paragraph of its own
AUTHORS = ("Lê Hà", "Minh Châu", "Thu Trang", "P.Y")


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(12, 24))
    return " ".join(words).capitalize() + "."


def site_page(i: int, *, body_class: str = "story-body", wrapper: str = "wrap"
              ) -> tuple[str, dict]:
    """Page ``i`` of the made-up site and what it publishes."""
    rng = random.Random(i)
    title = _sentence(rng).rstrip(".")
    lead = _sentence(rng)
    paragraphs = [" ".join(_sentence(rng) for _ in range(rng.randint(2, 4)))
                  for _ in range(rng.randint(3, 7))] + [SIGNOFF]
    author = AUTHORS[i % len(AUTHORS)]
    day = f"{1 + i % 28:02d}/{1 + i % 12:02d}/2025 {8 + i % 10:02d}:{i % 60:02d}"
    related = (f'<div class="see-also"><b>Tin liên quan</b><a href="/r{i}">{_sentence(rng)}'
               f'</a><a href="/s{i}">{_sentence(rng)}</a></div>') if i % 5 else ""
    body = [f"<p>{p}</p>" for p in paragraphs]
    body.insert(2, related)
    body.insert(-1, f"<p>{PROMO}</p>")
    body.insert(1, f'<figure class="pic"><img src="/img/{i}.jpg"><figcaption>{_sentence(rng)}'
                " Ảnh: P.Y</figcaption></figure>")
    menu = "".join(f'<li><a href="/m{k}">{m}</a></li>' for k, m in enumerate(MENU))
    html = (
        f"<html><head><title>{title} | Báo Tin Tỉnh</title>"
        f'<meta property="og:title" content="{title}">'
        f'<meta name="description" content="{lead}"></head><body>'
        f'<div class="top"><ul class="menu">{menu}</ul></div>'
        f'<div class="{wrapper} post-{i}{i}{i}">'
        f'<h1 class="headline">{title}</h1>'
        f'<div class="meta"><span class="tac-gia">{author}</span> '
        f'<span class="when">{day}</span></div>'
        f'<p class="summary">(BTT) - {lead}</p>'
        f'<div class="{body_class}">{"".join(body)}</div>'
        '<div class="share">Chia sẻ <a href="#fb">Facebook</a> <a href="#zl">Zalo</a></div>'
        f'</div><div class="footer">{FOOTER}</div></body></html>')
    return html, {"title": title, "lead": lead, "body": "\n\n".join(paragraphs),
                  "author": author, "day": day}


def pages(n: int = 40, **kw) -> list[tuple[str, str]]:
    return [(site_page(i, **kw)[0], f"https://tintinh.vn/bai-{i}.html") for i in range(n)]


@pytest.fixture(scope="module")
def template() -> Template:
    learned = learn_template(pages(), settings=SETTINGS)
    assert learned is not None
    return learned


def test_selectors_for_each_field_with_their_support(template):
    assert {n: (r.value, r.support) for n, r in template.fields.items()} == {
        "title": ("h1.headline", 1.0), "lead": ("p.summary", 1.0),
        "body": ("div.story-body", 1.0), "author": ("span.tac-gia", 1.0),
        "date": ("span.when", 1.0)}
    assert template.pages_used == 40


def test_boilerplate_is_the_chrome_and_not_the_body_sign_off(template):
    texts = {b.text for b in template.boilerplate}
    assert {*MENU, FOOTER, PROMO, "Chia sẻ Facebook Zalo"} <= texts
    assert SIGNOFF not in texts  # printed in every body: part of the article
    assert all(b.share >= SETTINGS.template_boilerplate_share for b in template.boilerplate)


def test_boxes_inside_the_body_are_excluded(template):
    assert {r.value for r in template.exclude} == {"figure.pic", "div.see-also"}
    assert dict((r.value, r.support) for r in template.exclude)["div.see-also"] == 0.8


def test_the_lead_prefix_is_learned(template):
    [prefix] = template.lead_prefixes
    assert prefix.support == 1.0 and prefix.value.startswith(r"^\s*\(BTT\)")


def test_a_story_number_never_makes_a_selector(template):
    """Each page's wrapper has a class naming the story (post-111): never a selector."""
    assert not any("post-" in r.value for r in (*template.fields.values(), *template.exclude))


def test_applying_the_template_gives_the_article_as_published(template):
    for i in range(40, 50):  # pages the template was not learned from
        html, truth = site_page(i)
        article = extract_article(html, f"https://tintinh.vn/bai-{i}.html", None,
                                  template=template, fetched_at=datetime(2026, 1, 1,
                                                                         tzinfo=VN_TZ))
        assert article.extractor == "provnews-template"
        assert (article.title, article.lead, article.body, article.author) == (
            truth["title"], truth["lead"], truth["body"], truth["author"])
        assert article.published_at.strftime("%d/%m/%Y %H:%M") == truth["day"]


def test_a_body_that_moved_on_some_pages_lowers_its_support_and_falls_back_there():
    mixed = pages(32) + pages(8, body_class="story-body-v2")  # 8 of 40 pages redesigned
    template = learn_template(mixed, settings=SETTINGS)
    assert template.fields["body"] == Rule("div.story-body", 0.8)
    html, _ = site_page(3, body_class="story-body-v2")
    article = extract_article(html, "https://tintinh.vn/bai-3.html", None, template=template)
    assert article.extractor == "provnews-fallback"


def test_no_template_when_no_body_selector_holds_on_enough_pages():
    half = pages(20) + [(site_page(i, body_class="noi-dung", wrapper="khung")[0],
                         f"https://tintinh.vn/b-{i}.html") for i in range(20, 40)]
    assert learn_template(half, settings=SETTINGS) is None
    assert learn_template([], settings=SETTINGS) is None


def test_json_round_trip_and_a_fingerprint_that_ignores_support(template):
    back = Template.from_json(template.selectors_json(), template.boilerplate_json(),
                              pages_used=template.pages_used)
    assert back == template
    assert back.fingerprint() == template.fingerprint()
    other = Template(pages_used=7, fields={**template.fields, "body": Rule("div.story-body", 0.5)},
                     exclude=template.exclude, lead_prefixes=template.lead_prefixes,
                     boilerplate=template.boilerplate)
    assert other.fingerprint() == template.fingerprint()
    moved = Template(pages_used=40, fields={**template.fields, "body": Rule("div.x", 1.0)})
    assert moved.fingerprint() != template.fingerprint()


def test_the_review_yaml_is_an_extract_block_with_support(template):
    printed = yaml.safe_load(review_yaml(template, "tintinh"))
    rules = ExtractRules.model_validate(printed["extract"])
    assert rules == template.rules
    assert printed["support"]["body"] == 1.0
    assert printed["support"]["exclude"] == {"figure.pic": 1.0, "div.see-also": 0.8}
    assert {"share": 1.0, "text": FOOTER} in printed["boilerplate"]


@pytest.mark.parametrize(("extractor", "flags", "expected"), [
    ("provnews-rules", [], 1.0),
    ("provnews-template", [], 0.8),
    ("provnews-template", ["body_incomplete"], 0.4),
    ("provnews-fallback", [], 0.5),
    ("provnews-rules", ["empty_body"], 0.0),
])
def test_confidence_follows_the_path_that_extracted(extractor, flags, expected):
    template = Template(pages_used=40, fields={"body": Rule("div.story-body", 0.8)})
    article = Article(title="T", extractor=extractor, flags=flags)
    assert extract_confidence(article, template) == expected
