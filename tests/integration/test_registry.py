"""Site registry: validation with one-line errors, and an idempotent `sites sync`."""

import shutil
import subprocess
import sys

import pytest
from sqlalchemy import text

from scrapers.errors import ProvnewsError
from scrapers.registry import load_site, load_sites
from scrapers.settings import get_settings
from scrapers.store.sources import sync_sources

SEEDS = {"baothanhhoa", "phunuvietnam", "baoquangngai", "baophutho"}


def test_seed_sites_load_with_their_cms_rules():
    sites = load_sites()
    assert set(sites) >= SEEDS
    assert sites["baothanhhoa"].extract.body == ["#dcontent"]
    assert sites["phunuvietnam"].extract.title == ["h1.detail-title"]
    assert sites["phunuvietnam"].province is None


@pytest.fixture
def sites_dir(tmp_path):
    d = tmp_path / "sites"
    shutil.copytree(get_settings().sites_dir, d)
    return d


@pytest.mark.parametrize(("mutation", "field"), [
    (("min_delay: 1.0", "min_delay: -3"), "min_delay"),
    (("kind: provincial", "kind: tabloid"), "kind"),
    (("{kind: feed,", "{kind: podcast,"), "endpoints.0.kind"),
    (("base_url: https://baothanhhoa.vn", "base_url: ftp://baothanhhoa.vn"), "base_url"),
    (("article_url_pattern: '^https", "article_url_pattern: '(^https"), "article_url_pattern"),
])
def test_broken_yaml_names_file_and_field(sites_dir, mutation, field):
    path = sites_dir / "baothanhhoa.yaml"
    path.write_text(path.read_text().replace(*mutation, 1))
    with pytest.raises(ProvnewsError) as err:
        load_site(path)
    message = str(err.value)
    assert "\n" not in message
    assert str(path) in message and f"field '{field}'" in message


def test_unknown_key_is_rejected(sites_dir):
    path = sites_dir / "baophutho.yaml"
    path.write_text(path.read_text() + "colour: blue\n")
    with pytest.raises(ProvnewsError, match=r"baophutho\.yaml: field 'colour': Extra inputs"):
        load_site(path)


def test_cli_prints_one_line_error_without_traceback(sites_dir):
    path = sites_dir / "baophutho.yaml"
    path.write_text(path.read_text().replace("min_delay: 1.0", "min_delay: slow"))
    proc = subprocess.run([sys.executable, "-m", "scrapers.cli", "sites"],
                          env={"NEWS_SITES_DIR": str(sites_dir), "PATH": ""},
                          capture_output=True, text=True)
    assert proc.returncode == 2
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert "baophutho.yaml" in lines[0] and "field 'min_delay'" in lines[0]
    assert "Traceback" not in proc.stderr


def test_sites_sync_is_idempotent(engine):
    sites = load_sites()
    with engine.connect() as conn:
        before = conn.execute(text(
            "SELECT slug, config_sha256, updated_at FROM sources ORDER BY slug")).all()
    assert sync_sources(engine, sites) == {"inserted": 0, "updated": 0, "unchanged": len(sites)}
    with engine.connect() as conn:
        after = conn.execute(text(
            "SELECT slug, config_sha256, updated_at FROM sources ORDER BY slug")).all()
    assert before == after


def test_sites_sync_updates_a_changed_site(engine, sites_dir):
    path = sites_dir / "baophutho.yaml"
    path.write_text(path.read_text().replace("min_delay: 1.0", "min_delay: 2.5"))
    counts = sync_sources(engine, load_sites(sites_dir))
    assert counts["updated"] == 1 and counts["inserted"] == 0
    with engine.connect() as conn:
        delay = conn.execute(text(
            "SELECT min_delay_s FROM sources WHERE slug = 'baophutho'")).scalar()
    assert delay == 2.5


def test_unknown_province_is_a_clear_error(engine, sites_dir):
    path = sites_dir / "baophutho.yaml"
    path.write_text(path.read_text().replace("province: phu-tho", "province: atlantis"))
    with pytest.raises(ProvnewsError, match=r"baophutho\.yaml: field 'province'.*atlantis"):
        sync_sources(engine, load_sites(sites_dir))
