"""The text an article is mined in: its lead, a blank line, then its body.

Extraction keeps the lead (sapo) apart from the body and drops it from the body when the
page repeated it, yet papers often state their headline figure only there ("Toàn tỉnh hiện
có 45 hợp tác xã do phụ nữ làm chủ..."). Indicator offsets index this text; the view
``article_texts`` (sql/013_article_texts.sql) rebuilds it the same way in SQL.
"""

from __future__ import annotations

import unicodedata

SEPARATOR = "\n\n"  # a line break ends a sentence, so the lead never runs into the body


def article_text(lead: str | None, body: str | None) -> str:
    """Lead, blank line, body; either alone when the other is empty, and the body alone
    when it already begins with the lead (compared in NFC), so nothing is read twice."""
    lead, body = lead or "", body or ""
    if not lead:
        return body
    if not body:
        return lead
    if unicodedata.normalize("NFC", body).startswith(unicodedata.normalize("NFC", lead)):
        return body
    return f"{lead}{SEPARATOR}{body}"
