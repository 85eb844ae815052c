"""Sentence split: offsets index the given text, NFC or not; abbreviations do not split."""

import unicodedata

from scrapers.indicators.sentences import split_sentences

TEXT = ("Toàn tỉnh có 5 HTX. TP. Hà Nội có 1.200 thành viên, tăng 3,5%.\n"
        "Bà Nguyễn T. Hoa nói: \"Được.\" Ông nói vậy.")


def test_sentences_and_offsets():
    found = split_sentences(TEXT)
    assert [s.text for s in found] == [
        "Toàn tỉnh có 5 HTX.", "TP. Hà Nội có 1.200 thành viên, tăng 3,5%.",
        "Bà Nguyễn T. Hoa nói: \"Được.\"", "Ông nói vậy."]
    assert all(TEXT[s.start:s.end] == s.text for s in found)


def test_decomposed_text_keeps_its_own_offsets_and_matches_in_nfc():
    nfd = unicodedata.normalize("NFD", TEXT)
    found = split_sentences(nfd)
    assert [s.norm for s in found] == [s.text for s in split_sentences(TEXT)]
    for s in found:
        assert nfd[s.start:s.end] == s.text
        word = s.norm.split()[1]
        a = s.norm.index(word)
        start, end = s.span(a, a + len(word))
        assert unicodedata.normalize("NFC", nfd[start:end]) == word
