"""Feeds as a probe reads them."""

from scrapers.probe.feeds import read_feed

RSS = ("<?xml version='1.0'?><rss version='2.0'><channel><title>X</title>"
       "<item><link>https://x.vn/a-1.htm?utm_source=rss</link></item>"
       "<item><link>https://x.vn/b-2.htm</link></item>"
       "<item><link>https://x.vn/b-2.htm</link></item></channel></rss>")


def test_a_feed_lists_its_entries_links():
    assert read_feed(RSS) == ("https://x.vn/a-1.htm?utm_source=rss", "https://x.vn/b-2.htm")


def test_an_html_page_or_an_empty_feed_is_no_feed():
    assert read_feed("<html><body><p>RSS</p></body></html>") is None
    assert read_feed("<rss version='2.0'><channel><title>X</title></channel></rss>") is None
