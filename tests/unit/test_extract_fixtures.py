"""Per-field checks of extract_article on every replica page (replica/fixtures/extract/)."""

import re
import unicodedata
from collections import Counter
from datetime import timedelta
from functools import cache

import pytest

from replica.cases import (
    BOILERPLATE,
    FAMILIES,
    Case,
    load_cases,
    squash,
    with_teasers,
)
from scrapers.extract import EXTRACTOR_VERSION, Article, extract_article
from scrapers.text import word_count

CASES = load_cases()
IDS = [c.name for c in CASES]


@cache
def extracted(case: Case) -> Article:
    return extract_article(case.html, case.url, case.site, fetched_at=case.fetched_at)


def test_fixture_set_covers_every_family():
    per_family = Counter(FAMILIES[c.name.split("/")[0]] for c in CASES)
    assert per_family["dcontent"] >= 4 and per_family["phunu"] >= 4
    assert per_family["quangngai"] >= 4 and per_family[None] >= 3
    assert 16 <= len(CASES) <= 24


def test_expected_outputs_are_nfc_and_one_page_is_not():
    for case in CASES:
        for para in case.expected["body"]:
            assert unicodedata.is_normalized("NFC", para), case.name
    decomposed = [c for c in CASES if not unicodedata.is_normalized("NFC", c.html)]
    assert [c.name for c in decomposed] == ["baophutho/decomposed-unicode"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_title(case):
    assert extracted(case).title == case.expected["title"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_published_at_to_the_minute_in_local_time(case):
    article, expected = extracted(case), case.expected["published_at"]
    if expected is None:
        assert article.published_at is None
        return
    assert article.published_at.isoformat(timespec="minutes") == expected[:16] + "+07:00"
    assert article.published_at.utcoffset() == timedelta(hours=7)
    assert article.date_source == case.expected["date_source"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_author(case):
    assert extracted(case).author == case.expected["author"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_body_equals_after_whitespace_normalisation(case):
    article = extracted(case)
    assert squash(article.body) == squash(case.body)
    assert article.body.split("\n\n") == case.expected["body"]  # paragraph structure too


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_body_has_no_boilerplate_captions_or_blobs(case):
    body = extracted(case).body
    for junk in BOILERPLATE:
        assert junk not in body
    for image in case.expected.get("images", []):
        assert image["caption"] not in body
    assert not re.search(r"[A-Za-z0-9+/]{80,}", body)
    assert "\u200b" not in body and "\u00a0" not in body and "&quot;" not in body
    assert unicodedata.is_normalized("NFC", body)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_lead_flags_and_metadata(case):
    got = extracted(case).to_dict()
    for field in ("lead", "flags", "category", "tags", "canonical_url", "images",
                  "modified_at", "language"):
        if field in case.expected:
            assert got[field] == case.expected[field], field


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_extractor_and_word_count(case):
    article = extracted(case)
    assert article.extractor == ("provnews-rules" if case.site else "provnews-fallback")
    assert article.extractor_version == EXTRACTOR_VERSION
    assert article.word_count == word_count(case.body) > 50  # the body's, not the lead's


def test_the_papers_name_is_never_the_author():
    papers = {"Báo Thanh Hóa", "Báo Phú Thọ", "Báo Phụ nữ Việt Nam", "Báo Quảng Ngãi",
              "Báo Cần Thơ", "Báo Ninh Bình", "Báo Kon Tum", "Báo Hải Phòng"}
    assert not {extracted(c).author for c in CASES} & papers


def _core_fields(article: Article) -> tuple:
    published = article.published_at.isoformat() if article.published_at else None
    return (article.title, article.author, article.lead, published, squash(article.body))


def _expected_core(case: Case) -> tuple:
    e = case.expected
    return (e["title"], e["author"], e["lead"], e["published_at"], squash(case.body))


SITE_PAGES = [c for c in CASES if c.site]
SCRIPT_BODIES = [c for c in CASES if "outputData" in c.html or "').html(" in c.html]


@pytest.mark.parametrize("case", SITE_PAGES, ids=[c.name for c in SITE_PAGES])
def test_the_fallback_alone_reads_site_pages_too(case):
    """Script-written and encoded bodies included: they are decoded before either path."""
    article = extract_article(case.html, case.url, None, fetched_at=case.fetched_at)
    assert article.extractor == "provnews-fallback"
    assert _core_fields(article) == _expected_core(case)


def test_script_delivered_bodies_are_flagged_decoded_on_either_path():
    assert len(SCRIPT_BODIES) >= 2
    for case in SCRIPT_BODIES:
        for site in (case.site, None):
            article = extract_article(case.html, case.url, site, fetched_at=case.fetched_at)
            assert "decoded_body" in article.flags


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_sidebar_of_dated_teasers_changes_nothing(case):
    padded = with_teasers(case, 60)
    article = extract_article(padded.html, case.url, case.site, fetched_at=case.fetched_at)
    assert _core_fields(article) == _expected_core(case)
