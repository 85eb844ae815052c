"""All configuration in one place, read from the environment (prefix ``NEWS_``).

Airflow tasks pass the warehouse URL from the ``provnews_db`` Connection; everything
else comes from here, with defaults that suit a polite crawl of small provincial servers.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWS_", extra="ignore")

    db_url: str | None = Field(
        None, description="SQLAlchemy URL of the warehouse; unset = embedded PostgreSQL."
    )
    data_dir: Path = Field(
        REPO_ROOT / ".data", description="Where the embedded PostgreSQL keeps its data (pg/)."
    )
    sites_dir: Path = Field(REPO_ROOT / "include" / "sites", description="Site registry YAMLs.")
    cms_dir: Path = Field(
        REPO_ROOT / "include" / "cms", description="Shared rule sets for CMS families."
    )
    sql_dir: Path = Field(REPO_ROOT / "sql", description="Numbered migrations.")
    provinces_csv: Path = Field(REPO_ROOT / "include" / "provinces.csv")

    contact_url: str = Field(
        "https://github.com/provnews/provnews", description="Contact URL sent in the User-Agent."
    )
    user_agent: str = Field(
        "", description="Full User-Agent override; default names provnews and contact_url."
    )
    connect_timeout: float = Field(10.0, description="Seconds to open a connection.")
    read_timeout: float = Field(30.0, description="Seconds between bytes of a response.")
    response_deadline: float = Field(
        60.0, description="Seconds one response may take in all, connect to last body byte; "
        "past it the fetch fails as a (retryable) timeout, so a trickling server cannot hold it.")
    decode_error_tolerance: float = Field(
        0.001, description="Share of a body's bytes that may fail to decode in its declared "
        "charset (or UTF-8) and be replaced by U+FFFD instead of refusing the page.")
    decode_error_min_bytes: int = Field(
        20, description="Bad bytes tolerated whatever the body's size (the larger of this and "
        "decode_error_tolerance applies); 0 and 0 make decoding strict.")
    robots_ttl: float = Field(86400.0, description="Seconds a robots.txt read stays trusted.")
    robots_retry_seconds: float = Field(
        300.0, description="Seconds an unreadable robots.txt (5xx, 429, network) blocks its "
        "origin before it is asked again.")
    max_body_bytes: int = Field(10 * 1024 * 1024, description="Largest body accepted.")
    max_retries: int = Field(3, description="Retries after the first attempt.")
    backoff_base: float = Field(1.0, description="First backoff in seconds, doubled per retry.")
    retry_after_cap: float = Field(120.0, description="Longest Retry-After honoured, seconds.")
    max_redirects: int = Field(5)
    global_concurrency: int = Field(4, description="Requests in flight across all hosts.")
    default_min_delay: float = Field(1.0, description="Seconds between requests to one host.")
    allow_addresses: str = Field(
        "",
        description="Comma-separated private/loopback addresses or networks the crawler may "
        "reach (e.g. 127.0.0.1 for tests and the replica).",
    )
    fetch_batch_size: int = Field(50, description="URLs per fetch batch (one Airflow map index).")
    max_attempts: int = Field(5, description="Fetch attempts before a URL is given up.")
    lookback_hours: float = Field(6.0, description="Overlap added before each run's interval.")
    mirrors: dict[str, str] = Field(
        default_factory=dict,
        description='Site slug -> mirror base URL the harvest DAGs crawl instead of the real '
        'site, as JSON: {"baothanhhoa": "http://127.0.0.1:8765"} (make demo sets it).')
    listing_max_pages: int = Field(50, description="Cap on listing pages per endpoint and run.")
    sitemap_closed_grace_hours: float = Field(
        48.0, description="Hours after a month ends before its sitemap counts as complete.")
    sitemap_revalidate_days: float = Field(
        30.0, description="How often a complete monthly sitemap is asked again (conditional).")

    near_dup_threshold: float = Field(0.8, description="Estimated Jaccard that joins a cluster.")
    minhash_permutations: int = Field(128)
    minhash_bands: int = Field(32)
    shingle_size: int = Field(5, description="Words (syllables) per shingle.")

    # --- pipeline stages (scrapers.pipeline, scrapers.steps.*) ---
    max_fetch_batches: int = Field(
        200, description="Fetch batches (Airflow map indexes) per run; the rest wait.")
    fetch_commit_every: int = Field(
        10, description="Fetch results per transaction: a crash loses at most these.")
    url_retry_base_s: float = Field(
        900.0, description="First delay before a failed URL is tried again, doubled per try.")
    url_retry_max_s: float = Field(86400.0, description="Longest delay between URL retries.")
    endpoint_poll_min_s: int = Field(900, description="Poll interval of a changing endpoint.")
    endpoint_poll_max_s: int = Field(
        86400, description="Poll interval an unchanged endpoint backs off to.")
    extract_batch_size: int = Field(
        500, description="Pages per extraction transaction. Each costs a few statements "
        "(read, COPY, mark read, commit) whatever its size: at 100 they were a sixth of the load.")
    analyze_min_changes: int = Field(
        500, description="Rows changed since a table was last analyzed (plus "
        "analyze_changed_share of its rows) past which a step analyzes it before planning on "
        "it: a fetch fills tables faster than autovacuum analyzes them.")
    analyze_changed_share: float = Field(
        0.2, description="Share of a table's rows changed since it was last analyzed that, "
        "with analyze_min_changes more, has a step analyze it first.")
    dedupe_batch_size: int = Field(200, description="Articles per dedupe transaction.")
    quality_min_pages: int = Field(
        10, description="Fetched pages below which a run is too small to judge.")
    quality_max_bad_share: float = Field(
        0.5, description="Share of broken articles above which a run's quality check fails.")

    # --- Airflow tasks (dags/_common.py) ---
    articles_asset_uri: str | None = Field(
        None, description="URI of the articles Asset; unset: postgres://host:port/db/public/"
        "articles of the warehouse connection (tests pin one for all their warehouses).")
    max_active_runs: int = Field(
        4, description="Runs of one harvest DAG at once (requests stay one stream per site).")
    task_retries: int = Field(3, description="Retries of a failed harvest task.")
    task_retry_delay_s: float = Field(
        60.0, description="First delay before a task retry, doubled per retry.")
    task_max_retry_delay_s: float = Field(1800.0, description="Longest delay between retries.")
    task_timeout_s: float = Field(7200.0, description="A task running longer is failed.")

    # --- ui and drift ---
    drift_baseline_runs: int = Field(
        10, description="Latest earlier runs (not failed, with pages) a run is compared with.")
    drift_baseline_days: int = Field(
        28, description="Days before a window whose median articles per day is the baseline.")
    drift_min_articles: int = Field(
        5, description="Articles a run and its baseline need before their shares are compared.")
    drift_share_rise: float = Field(
        0.3, description="Rise of a share (rules missed, empty, undated) over the baseline's "
        "that is drift: 0.3 = 30 percentage points.")
    drift_body_ratio: float = Field(
        0.4, description="Median body length below ratio × baseline (or above baseline / "
        "ratio) is drift.")
    drift_volume_ratio: float = Field(
        0.25, description="Articles per day below ratio × the trailing median is drift.")
    drift_volume_min_median: float = Field(
        3.0, description="Trailing medians (articles per day) below this are not judged.")
    ui_today: date | None = Field(
        None, description="The provnews page's 'today' (YYYY-MM-DD); unset: the real date. "
        "Pin it to look at data that ends earlier, e.g. 2026-01-01 for the replica.")

    # --- templates (scrapers.templates, scrapers.steps.learn) ---
    template_min_pages: int = Field(
        30, description="Stored pages of a site a template is learned from, at least.")
    template_max_pages: int = Field(
        200, description="Most recent stored pages a template is learned from, at most.")
    template_min_support: float = Field(
        0.7, description="Share of the learning pages a selector must hold on to be kept.")
    template_boilerplate_share: float = Field(
        0.5, description="Share of a site's pages a text block is on to count as boilerplate.")
    template_exclude_share: float = Field(
        0.1, description="Share of pages on which a box inside the body must be seen before "
        "its selector is excluded from bodies.")
    template_relearn_share: float = Field(
        0.3, description="Share of a run's articles the rules in use missed (or only the "
        "generic path read) from which the quality check learns the template again.")
    template_relearn_cron: str = Field(
        "0 3 * * 1", description="When the maintenance DAG learns every enabled site's "
        "template again (cron, Asia/Ho_Chi_Minh): Mondays 03:00, after the nightly runs.")

    # --- indicators ---
    indicators_batch_size: int = Field(
        100, description="Articles per indicator-mining transaction (scrapers.steps.indicators).")

    # --- reliability ---
    dns_servers: str = Field(
        "", description="Comma-separated DNS servers (host or host:port, [v6]:port) the "
        "crawler asks directly for site addresses; empty: the system resolver. The address "
        "checked is the address connected to, whichever resolves.")
    extract_max_elements: int = Field(
        20_000, description="Elements (start tags) above which a stored page is not "
        "extracted (pages.extract_error says so): article pages have a few thousand, and "
        "extraction time grows with them.")

    # --- probing (scrapers.probe, scrapers.steps.probe) ---
    probe_max_sections: int = Field(
        12, description="Navigation-menu links a probe checks as category listings.")
    probe_max_feeds: int = Field(10, description="Announced feeds a probe reads.")
    probe_samples: int = Field(
        3, description="Article pages a probe fetches to confirm the article URL pattern.")
    probe_min_words: int = Field(
        80, description="Words a sample page's body needs to count as an article.")
    probe_max_age_days: float = Field(
        7.0, description="Days after which a site's probed endpoints are probed again.")
    probe_failing_runs: int = Field(
        3, description="Runs in a row a probed endpoint must answer 404/410 before the site "
        "is probed again.")
    probe_retry_hours: float = Field(
        24.0, description="Hours before a probe that found nothing (blocked, unreachable) "
        "is tried again.")

    def allowed_networks(self) -> list[str]:
        return [a.strip() for a in self.allow_addresses.split(",") if a.strip()]

    def dns_server_list(self) -> list[tuple[str, int]]:
        """``dns_servers`` as (address, port) pairs, port 53 unless given."""
        out = []
        for item in (i.strip() for i in self.dns_servers.split(",")):
            if not item:
                continue
            if item.startswith("["):
                host, _, rest = item[1:].partition("]")
                port = rest.lstrip(":") or "53"
            elif item.count(":") == 1:
                host, port = item.split(":")
            else:
                host, port = item, "53"
            out.append((host, int(port)))
        return out

    def effective_user_agent(self) -> str:
        from scrapers import __version__

        return self.user_agent or f"provnews/{__version__} (+{self.contact_url})"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
