"""``article_text``: the lead, a blank line and the body, each read once."""

import unicodedata

from scrapers.indicators import article_text

LEAD = "Toàn tỉnh hiện có 45 hợp tác xã do phụ nữ làm chủ."
BODY = "Các HTX hoạt động hiệu quả, tạo việc làm ổn định cho chị em."


def test_lead_only():
    assert article_text(LEAD, "") == LEAD


def test_body_only():
    assert article_text(None, BODY) == BODY
    assert article_text("", BODY) == BODY


def test_both_with_a_blank_line_between():
    assert article_text(LEAD, BODY) == f"{LEAD}\n\n{BODY}"


def test_a_body_that_repeats_the_lead_is_not_read_twice():
    repeated = f"{LEAD}\n{BODY}"
    assert article_text(LEAD, repeated) == repeated
    # the page decomposed its accents in the body only: still the same words
    nfd = unicodedata.normalize("NFD", repeated)
    assert nfd != repeated and article_text(LEAD, nfd) == nfd


def test_nothing():
    assert article_text(None, "") == ""
