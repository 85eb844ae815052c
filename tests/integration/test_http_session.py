"""PoliteSession as callers see it: conditional GET, the User-Agent, results and error kinds."""

from __future__ import annotations

from scrapers.http import FetchResult, PoliteSession
from scrapers.outcomes import ErrorKind
from tests.httpserver import Handler, LocalServer, make_settings
from tests.httpserver import server as server  # fixture
from tests.httpserver import session as session  # fixture


def test_conditional_get(server: LocalServer, session: PoliteSession) -> None:
    stamp = "Fri, 05 Jul 2024 04:19:00 GMT"

    def page(h: Handler) -> None:
        if h.headers.get("If-None-Match") == '"v1"' or h.headers.get("If-Modified-Since") == stamp:
            h.reply(304, b"", {"ETag": '"v1"'})
        else:
            h.reply(200, b"page", {"ETag": '"v1"', "Last-Modified": stamp})

    server.routes["/page"] = page
    first = session.get(server.base + "/page")
    assert first.ok and first.headers["etag"] == '"v1"' and not first.not_modified
    for kwargs in ({"etag": '"v1"'}, {"last_modified": stamp}):
        res = session.get(server.base + "/page", **kwargs)
        assert res.ok and res.not_modified and res.status == 304
        assert res.content is None and res.text is None


def test_user_agent_names_contact_url(server: LocalServer) -> None:
    server.static("/ua", "ok")
    settings = make_settings(contact_url="https://example.org/provnews-contact")
    with PoliteSession(settings) as s:
        assert s.get(server.base + "/ua").ok
    agents = {seen.headers["User-Agent"] for seen in server.log}
    assert agents == {settings.effective_user_agent()}
    assert "https://example.org/provnews-contact" in agents.pop()


def test_result_ok_reflects_error_kind() -> None:
    assert FetchResult(url="u", final_url="u").ok
    assert not FetchResult(url="u", final_url="u", error_kind=ErrorKind.TIMEOUT).ok


def test_error_kinds_are_the_outcome_enum(server: LocalServer, session: PoliteSession) -> None:
    res = session.get(server.base + "/missing")
    assert res.error_kind is ErrorKind.HTTP_4XX and res.error_kind == "http_4xx"
    assert f"failed_{res.error_kind}" == "failed_http_4xx"
    assert session.get("ftp://example.com/x").error_kind is ErrorKind.BAD_SCHEME
    assert res.elapsed_ms >= 0 and res.decode_errors == 0
