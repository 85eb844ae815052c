"""Text hygiene for Vietnamese: one spelling of every string before it is matched or hashed.

Vietnamese letters can be typed precomposed (NFC) or as a base letter plus combining marks
(NFD); pages mix both, and CMS editors leave NBSP, zero-width characters and HTML entities
escaped twice. Everything the extractor stores goes through ``clean_text``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from itertools import filterfalse, repeat

# Characters that are invisible in print but break matching: zero-width space/joiners,
# word joiner, BOM, soft hyphen, bidi marks.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f"), None)
# Spaces that should be ordinary spaces: NBSP, narrow NBSP, figure space, ideographic space...
_SPACES = dict.fromkeys(map(ord, "\u00a0\u202f\u2007\u2009\u200a\u3000\u2002\u2003"), " ")
_TRANSLATE = {**_INVISIBLE, **_SPACES}
_ODD_CHARS = re.compile("[" + "".join(map(chr, _TRANSLATE)) + "]")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_WS = re.compile(r"\s+")
_INLINE_WS = re.compile(r"[^\S\n]+")
_WORD = re.compile(r"[^\W_]+(?:[-.,'’][^\W_]+)*")
_PUNCT = re.compile(r"[^\w\s]|_")
_TITLE_SPLIT = re.compile(r"\s+[-–—|]\s+|:(?:\s+|$)")
XML_SPACE = re.compile("[ \t\r\n]+")  # what XPath's normalize-space() collapses


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def decode_entities(s: str, *, rounds: int = 3) -> str:
    """Decode HTML entities, again while some remain (``&amp;quot;`` → ``&quot;`` → ``"``)."""
    for _ in range(rounds):
        if "&" not in s:
            break
        decoded = _ENTITY.sub(lambda m: html.unescape(m.group()), s)
        if decoded == s:
            break
        s = decoded
    return s


def strip_invisible(s: str) -> str:
    """Drop zero-width characters and turn NBSP-like spaces into plain spaces. All of them
    are unprintable and none is ASCII: most texts are told clean without a scan for them
    (a regex tests each character in turn), and translate is slower still."""
    if s.isascii() or s.isprintable() or not _ODD_CHARS.search(s):
        return s
    return s.translate(_TRANSLATE)


def clean_text(s: str | None, *, keep_newlines: bool = False) -> str:
    """Entities decoded, NFC, no invisible characters, whitespace collapsed and trimmed.

    With ``keep_newlines`` line breaks survive (spaces around them are trimmed), so a body's
    paragraph structure can be kept while each line is normalised.
    """
    if not s:
        return ""
    s = decode_entities(s)
    if s.isprintable():  # most texts: nothing invisible, no other space, one line
        s = nfc(s)
        return s if _single_spaced(s) else " ".join(s.split())
    s = nfc(strip_invisible(s))
    if not keep_newlines:
        return " ".join(s.split())  # much faster than a regex substitution
    lines = (_INLINE_WS.sub(" ", line).strip() for line in s.splitlines())
    return "\n".join(lines).strip()


def join_paragraphs(paragraphs: list[str]) -> str:
    """A body: cleaned, non-empty paragraphs separated by one blank line."""
    cleaned = (clean_text(p) for p in paragraphs)
    return "\n\n".join(p for p in cleaned if p)


def normalise_for_hash(s: str) -> str:
    """NFC, lower case, whitespace collapsed: two bodies equal under this hash the same.

    Most texts skip the Unicode work: an ASCII one has nothing to compose or strip, a
    printable one no invisible character (all of them are unprintable), and a clean line
    nothing to collapse. A body is clean lines with a blank line between paragraphs: with
    those made single spaces it is one such line (splitting it into words cost more than
    the rest of its hash)."""
    if s.isascii():
        return " ".join(s.lower().split())
    flat = s.replace("\n\n", " ")
    if flat.isprintable():
        low = nfc(flat).lower()
        return low if spaced_once(low) else " ".join(low.split())
    return " ".join(nfc(strip_invisible(s)).lower().split())


def spaced_once(s: str) -> bool:
    """Whether ``" ".join(s.split()) == s``: the only whitespace is single spaces between
    words (every other whitespace character is unprintable)."""
    return s.isprintable() and _single_spaced(s)


def _single_spaced(s: str) -> bool:
    """Of a printable text (its only whitespace is spaces): spaced once, and trimmed."""
    return "  " not in s and s[:1] != " " and s[-1:] != " "


def words(s: str) -> list[str]:
    """Vietnamese is written one syllable per token: the NFC, lower-cased tokens of ``s``,
    the unit of word counts and of dedupe shingles.

    Numbers such as 1.200 or 3,5 and hyphenated forms (COVID-19) are one token each;
    "đồng/tháng" is two.
    """
    return _WORD.findall(nfc(strip_invisible(s)).lower())


# Never part of a word's ends; any subset of the characters that are not letters or digits.
_EDGES = "\"'()[]{}<>.,;:!?…“”‘’«»–—-/*&%#@+=|~^`$\\"


def word_count(s: str, *, normalised: bool = False) -> int:
    """``len(words(s))`` without one regex scan of the whole text, which costs more than
    the rest of finishing a long body: a word holds no whitespace and starts and ends with
    a letter or digit, so whitespace-separated chunks of letters and digits alone are one
    word each (checked in C), and only the few others ("1.200", "đồng/tháng"), their
    punctuation trimmed from the ends, are scanned. Case is left alone, as it changes no
    count: a letter's lower case is a letter, one character long, save for U+0130 ("İ"
    becomes "i" and a combining dot, which splits the word; checked over all of Unicode).
    ``normalised``: ``s`` is NFC without invisible characters already (``clean_text``'s
    lines are), which spares two scans of it."""
    text = s if normalised else nfc(strip_invisible(s))
    chunks = (text.lower() if "\u0130" in text else text).split()
    odd = list(filterfalse(str.isalnum, chunks))
    trimmed = list(map(str.strip, odd, repeat(_EDGES)))
    rest = filter(None, filterfalse(str.isalnum, trimmed))
    return (len(chunks) - len(odd) + sum(map(str.isalnum, trimmed))
            + sum(map(len, map(_WORD.findall, rest))))


def title_key(title: str) -> str:
    """A title reduced for near-duplicate matching across sites.

    A title often carries a section or paper name after " - ", " | " or ":"; the longest
    part is the story's own title. Then lower case, punctuation removed, whitespace collapsed.
    """
    parts = [p for p in _TITLE_SPLIT.split(nfc(strip_invisible(title))) if p.strip()]
    core = max(parts, key=len) if parts else ""
    return _WS.sub(" ", _PUNCT.sub(" ", core.lower())).strip()
