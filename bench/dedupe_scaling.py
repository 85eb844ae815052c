"""Time per article to assign clusters as the articles table grows (10k, 50k, 100k).

The LSH bands live in Postgres and candidates come from an index lookup, so the cost per
new article should stay roughly flat. As a baseline measured in the same run, the same new
articles are compared against every stored signature (the all-pairs approach): its cost per
article grows with the table.

    .venv/bin/python bench/dedupe_scaling.py [--sizes 10000,50000,100000] [--new 300]

Uses NEWS_TEST_DB_URL's server (or an embedded one) and a scratch database it drops after.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import random
import time

import numpy as np
from sqlalchemy import create_engine, text

from scrapers.db import int_array, scratch_database, scratch_server
from scrapers.dedupe import band_keys, signature
from scrapers.migrate import migrate
from scrapers.provinces import load_provinces
from scrapers.registry import load_sites
from scrapers.settings import get_settings
from scrapers.steps.dedupe import dedupe_step
from scrapers.store.sources import sync_sources

WORDS = ("hợp", "tác", "xã", "phụ", "nữ", "làm", "chủ", "thành", "viên", "việc", "làm", "thu",
         "nhập", "sản", "phẩm", "ocop", "tỉnh", "huyện", "xã", "năm", "2030", "mục", "tiêu",
         "triệu", "đồng", "lao", "động", "nông", "nghiệp", "chế", "biến", "tiêu", "thụ", "thị",
         "trường", "vốn", "hỗ", "trợ", "mô", "hình", "kinh", "tế", "tập", "thể", "hội", "liên",
         "hiệp", "phát", "triển", "bền", "vững")


def story(rng: random.Random, n_words: int = 220) -> str:
    return " ".join(rng.choice(WORDS) + str(rng.randint(0, 999)) for _ in range(n_words))


def copy_rows(conn, table: str, columns: str, rows) -> None:
    buf = io.StringIO()
    for row in rows:
        buf.write("\t".join(row) + "\n")
    buf.seek(0)
    raw = conn.connection.dbapi_connection
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as cp:
        cp.write(buf.read())


def preload(engine, sid: int, start_id: int, count: int, settings, rng: np.random.Generator):
    """Background articles with random signatures (distinct stories) and their bands."""
    ids = range(start_id, start_id + count)
    sigs = rng.integers(0, 2**32, size=(count, settings.minhash_permutations), dtype=np.int64)
    with engine.begin() as conn:
        copy_rows(conn, "urls", "id, source_id, url, state",
                  ((str(i), str(sid), f"https://bench.vn/a-{i}.htm", "fetched") for i in ids))
        copy_rows(conn, "clusters", "id, size", ((str(i), "1") for i in ids))
        copy_rows(conn, "articles",
                  "id, url_id, source_id, url, title, body, word_count, body_sha256, extractor,"
                  " extractor_version, cluster_id, deduped_at",
                  ((str(i), str(i), str(sid), f"https://bench.vn/a-{i}.htm", f"Tin {i}",
                    f"background {i}", "2", hashlib.sha256(f"b{i}".encode()).hexdigest(),
                    "bench", "0", str(i), "2025-01-01 00:00+07") for i in ids))
        keys = [band_keys([int(v) for v in s], settings.minhash_bands) for s in sigs]
        copy_rows(conn, "minhash_signatures", "article_id, body_sha256, signature, buckets",
                  ((str(i), "x", int_array(s), int_array(k for _, k in ks))
                   for i, s, ks in zip(ids, sigs, keys, strict=True)))
        copy_rows(conn, "minhash_bands", "band, bucket, article_id",
                  ((str(b), str(k), str(i)) for i, ks in zip(ids, keys, strict=True)
                   for b, k in ks))
        conn.execute(text("SELECT setval('articles_id_seq', :m), setval('urls_id_seq', :m),"
                          " setval('clusters_id_seq', :m)"), {"m": start_id + count})
        conn.execute(text("ANALYZE"))


def add_new_articles(engine, sid: int, n: int, tag: str, rng: random.Random) -> list[str]:
    """n new articles: a fifth of them lightly edited copies of another new one."""
    bodies = []
    for i in range(n):
        if i % 5 == 4:
            bodies.append(bodies[i - 1] + " thêm một đoạn ngắn về tin bài")
        else:
            bodies.append(story(rng))
    with engine.begin() as conn:
        for i, body in enumerate(bodies):
            url = f"https://bench.vn/new-{tag}-{i}.htm"
            uid = conn.execute(text("INSERT INTO urls (source_id, url, state) VALUES (:s, :u,"
                                    " 'fetched') RETURNING id"), {"s": sid, "u": url}).scalar()
            conn.execute(text(
                "INSERT INTO articles (url_id, source_id, url, title, body, word_count,"
                " body_sha256, extractor, extractor_version, published_at)"
                " VALUES (:uid, :s, :u, :t, :b, 220, :sha, 'bench', '0', now())"),
                {"uid": uid, "s": sid, "u": url, "t": f"Tin mới {tag} {i}", "b": body,
                 "sha": hashlib.sha256(body.encode()).hexdigest()})
    return bodies


def all_pairs_seconds(engine, bodies: list[str], settings) -> float:
    """Baseline: compare each new signature with every stored one."""
    with engine.connect() as conn:
        stored = np.array(conn.execute(text("SELECT signature FROM minhash_signatures"))
                          .scalars().all(), dtype=np.uint64)
    t0 = time.perf_counter()
    for body in bodies:
        sig = np.array(signature(body, num_perm=settings.minhash_permutations,
                                 shingle_size=settings.shingle_size), dtype=np.uint64)
        (stored == sig).mean(axis=1).max()
    return (time.perf_counter() - t0) / len(bodies)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,50000,100000")
    ap.add_argument("--new", type=int, default=300, help="new articles timed at each size")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    settings = get_settings()
    admin, server = scratch_server()
    rows = []
    with scratch_database(admin, prefix="pn_bench") as url:
        engine = create_engine(url)
        migrate(engine, settings.sql_dir)
        load_provinces(engine, settings.provinces_csv)
        sync_sources(engine, load_sites())
        with engine.connect() as conn:
            sid = conn.execute(text("SELECT id FROM sources WHERE slug = 'baothanhhoa'")).scalar()
        rng_np, rng = np.random.default_rng(7), random.Random(7)
        loaded, next_id = 0, 1_000_000
        for size in sizes:
            preload(engine, sid, next_id, size - loaded, settings, rng_np)
            bodies = add_new_articles(engine, sid, args.new, str(size), rng)
            t0 = time.perf_counter()
            counts = dedupe_step(engine, settings=settings)
            lsh = (time.perf_counter() - t0) / args.new
            base = all_pairs_seconds(engine, bodies, settings)
            loaded = size + args.new
            with engine.connect() as conn:
                next_id = conn.execute(text(
                    "SELECT greatest((SELECT max(id) FROM urls), (SELECT max(id) FROM articles),"
                    " (SELECT max(id) FROM clusters)) + 1")).scalar()
            rows.append((size, lsh, base, counts))
        engine.dispose()
    if server is not None:
        server.cleanup()
    print(f"{'articles':>9} | {'LSH ms/article':>14} | {'all-pairs ms/article':>20} | "
          f"{'all-pairs / LSH':>15} | clusters assigned")
    for size, lsh, base, counts in rows:
        print(f"{size:>9} | {lsh * 1000:>14.2f} | {base * 1000:>20.2f} | {base / lsh:>15.2f} | "
              f"{counts}")
    first, last = rows[0], rows[-1]
    print(f"growth {first[0]}→{last[0]} articles ({last[0] / first[0]:.0f}x): "
          f"LSH {last[1] / first[1]:.2f}x, all-pairs {last[2] / first[2]:.2f}x")


if __name__ == "__main__":
    main()
