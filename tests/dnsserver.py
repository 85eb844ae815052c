"""A real DNS server on 127.0.0.1 (dnslib, UDP) whose answers a test scripts, with a log.

    with ScriptedDNS() as dns:
        dns.answer("news.test", "127.0.0.2", "127.0.0.1")  # first query, then every later one
        settings = make_settings(dns_servers=dns.address)

Each name answers its scripted A records in turn (the last answer repeats); names it does
not know get NXDOMAIN, AAAA queries an empty answer. ``queries`` lists (name, type) as
they arrived, so a test can tell how often the crawler asked. TTL 0: nothing may cache an answer.
"""

from __future__ import annotations

import threading

from dnslib import QTYPE, RCODE, RR, A, DNSRecord
from dnslib.server import BaseResolver, DNSLogger, DNSServer


class _Resolver(BaseResolver):
    def __init__(self) -> None:
        self.script: dict[str, list[str]] = {}
        self.asked: dict[str, int] = {}
        self.queries: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    def resolve(self, request: DNSRecord, handler: object) -> DNSRecord:
        reply = request.reply()
        name = str(request.q.qname).rstrip(".").lower()
        qtype = QTYPE[request.q.qtype]
        with self.lock:
            self.queries.append((name, qtype))
            answers = self.script.get(name)
            if answers is None:
                reply.header.rcode = RCODE.NXDOMAIN
                return reply
            if qtype != "A":
                return reply  # NOERROR, no records
            n = self.asked.get(name, 0)
            self.asked[name] = n + 1
        for address in answers[min(n, len(answers) - 1)].split(","):
            reply.add_answer(RR(request.q.qname, QTYPE.A, rdata=A(address), ttl=0))
        return reply


class ScriptedDNS:
    def __init__(self) -> None:
        self._resolver = _Resolver()
        self._server = DNSServer(self._resolver, address="127.0.0.1", port=0,
                                 logger=DNSLogger(logf=lambda _: None))

    @property
    def address(self) -> str:
        """The server as a ``dns_servers`` setting: ``127.0.0.1:PORT``."""
        return f"127.0.0.1:{self._server.server.server_address[1]}"

    def answer(self, name: str, *addresses: str) -> None:
        """A records for ``name``: one answer per query in turn, the last for every later
        query; ``"10.0.0.1,10.0.0.2"`` answers both records at once."""
        with self._resolver.lock:
            self._resolver.script[name.lower()] = list(addresses)
            self._resolver.asked.pop(name.lower(), None)

    @property
    def queries(self) -> list[tuple[str, str]]:
        with self._resolver.lock:
            return list(self._resolver.queries)

    def a_queries(self, name: str) -> int:
        return sum(1 for n, t in self.queries if n == name.lower() and t == "A")

    def __enter__(self) -> ScriptedDNS:
        self._server.start_thread()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.stop()
        self._server.server.server_close()
