"""Slug, name and province of a new site file, from its host and homepage."""

from __future__ import annotations

import pytest

from scrapers.probe.identity import fold, guess_identity
from scrapers.provinces import read_provinces
from scrapers.settings import get_settings

PROVINCES = read_provinces(get_settings().provinces_csv)


@pytest.mark.parametrize(("url", "title", "expected"), [
    ("https://baodanang.vn", "Tin tức – Báo Đà Nẵng", ("baodanang", "Báo Đà Nẵng", "da-nang")),
    ("https://www.baonghean.vn", "Tin tức Nghệ An mới nhất | Báo Nghệ An",
     ("baonghean", "Báo Nghệ An", "nghe-an")),
    ("https://baotuyenquang.com.vn", "", ("baotuyenquang", "Báo Tuyên Quang", "tuyen-quang")),
    ("https://sggp.org.vn", "Báo Sài Gòn Giải Phóng - Tin tức",
     ("sggp", "Báo Sài Gòn Giải Phóng", "ho-chi-minh")),
    ("https://baokontum.com.vn", "Báo Kon Tum", ("baokontum", "Báo Kon Tum", "quang-ngai")),
    ("https://phunuvietnam.vn", "Bảo hiểm – Phụ nữ Việt Nam",
     ("phunuvietnam", "phunuvietnam.vn", None)),
])
def test_identity_from_host_and_title(url, title, expected):
    got = guess_identity(url, title, "", PROVINCES)
    assert (got.slug, got.name, got.province) == expected


def test_fold():
    assert fold("Đắk Lắk") == "daklak" and fold("Bà Rịa - Vũng Tàu") == "bariavungtau"
