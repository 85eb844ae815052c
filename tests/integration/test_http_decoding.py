"""Decoding through PoliteSession: what the server sent, and the text and counts it became."""

from __future__ import annotations

import unicodedata

from scrapers.http import PoliteSession
from scrapers.outcomes import ErrorKind
from tests.httpserver import VI, LocalServer, make_settings, tiny_png, to_cp1258
from tests.httpserver import server as server  # fixture
from tests.httpserver import session as session  # fixture


def test_wrong_latin1_header_with_utf8_body(server: LocalServer,
                                            session: PoliteSession) -> None:
    with_meta = f'<html><head><meta charset="utf-8"></head><body>{VI}</body></html>'
    server.static("/meta", with_meta, headers={"Content-Type": "text/html; charset=ISO-8859-1"})
    server.static("/nometa", VI, headers={"Content-Type": "text/html; charset=iso-8859-1"})
    for path in ("/meta", "/nometa"):
        res = session.get(server.base + path)
        assert res.encoding == "utf-8" and VI in (res.text or ""), path


def test_cp1258_page_with_meta_only(server: LocalServer, session: PoliteSession) -> None:
    head = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'
    body = to_cp1258(f"{head}</head><body><p>{VI}</p></body></html>")
    assert body.decode("cp1258") != f"{head}</head><body><p>{VI}</p></body></html>"  # NFD
    server.static("/legacy", body, headers={"Content-Type": "text/html"})
    res = session.get(server.base + "/legacy")
    assert res.ok and res.encoding == "cp1258"
    assert f"<p>{VI}</p>" in (res.text or "")
    assert unicodedata.is_normalized("NFC", res.text or "")


def test_undecodable_body(server: LocalServer, session: PoliteSession) -> None:
    server.static("/binary", bytes(range(256)) * 8)
    res = session.get(server.base + "/binary")
    assert res.error_kind == "decode" and res.status == 200 and res.content is not None


def test_png_served_as_html_is_a_decode_error(server: LocalServer,
                                              session: PoliteSession) -> None:
    server.static("/logo", tiny_png(), headers={"Content-Type": "text/html"})
    res = session.get(server.base + "/logo")
    assert (res.error_kind, res.text, res.decode_errors) == (ErrorKind.DECODE, None, 0)


def test_binary_content_type_is_not_decoded(server: LocalServer,
                                            session: PoliteSession) -> None:
    server.static("/img", bytes(range(256)), headers={"Content-Type": "image/png"})
    res = session.get(server.base + "/img")
    assert res.ok and res.content == bytes(range(256)) and res.text is None


def test_a_few_bad_bytes_never_cost_the_page(server: LocalServer,
                                             session: PoliteSession) -> None:
    good = f"<html><body><p>{VI}</p><p>{VI}</p></body></html>".encode()
    body = good.replace(b"<p>", b"<p>\xff", 1).replace(b"</p>", b"\xfe</p>", 1)
    server.static("/damaged", body)  # served as text/html; charset=utf-8
    res = session.get(server.base + "/damaged")
    assert res.ok and res.content == body and res.encoding == "utf-8"
    assert res.decode_errors == 2 and (res.text or "").count("\ufffd") == 2
    assert session.get(server.base + "/damaged").decode_errors == 2
    with PoliteSession(make_settings(decode_error_tolerance=0.0,
                                     decode_error_min_bytes=0)) as strict:
        assert strict.get(server.base + "/damaged").error_kind == "decode"
