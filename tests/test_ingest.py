import json

import pytest

from counterclaim.ingest import Rejected, iter_articles, read_html, read_text
from counterclaim.ingest.checks import MAX_BYTES, language
from conftest import EXAMPLES


def test_text_header_is_metadata_and_body_is_the_rest():
    raw = "Title: A title\nSource: Gulf Ledger\nDate: 2022-10-18\nURL: https://x.example/a\nId: abc-1\n\nBody line one.\nTwo."
    a = read_text(raw)
    assert (a.id, a.title, a.source_name, a.published, a.url) == ("abc-1", "A title", "Gulf Ledger", "2022-10-18", "https://x.example/a")
    assert a.text == "Body line one.\nTwo."


def test_text_without_header_keeps_the_file_exactly():
    raw = "Title words that are not a header line\n\nThe minister said on Tuesday that talks would resume.\n"
    a = read_text(raw)
    assert a.text == raw
    assert a.title is None
    assert len(a.id) == 16


def test_same_text_gets_same_id_whatever_the_whitespace():
    assert read_text("The minister said  talks would resume.").id == read_text("The minister said talks\nwould resume.").id


def test_date_in_byline_is_found_when_no_header():
    a = read_text("Big news\nby A. Writer\nWednesday, Nov 09, 2022 - 12:05 AM\n\nThe minister said talks would resume soon.")
    assert a.published == "2022-11-09"


def test_html_main_text_and_metadata():
    a = read_html((EXAMPLES / "drones-2.html").read_text())
    assert a.title == "Washington adds its voice on Iranian drones"
    assert a.source_name == "Northern Courier"
    assert a.published == "2022-10-21"
    assert "Ned Price said" in a.text
    assert "All rights reserved" not in a.text and "Sport" not in a.text


def test_jsonl_lines_and_bad_lines(tmp_path):
    f = tmp_path / "batch.jsonl"
    f.write_text("\n".join([
        json.dumps({"id": "one", "text": "The ministry said the talks would resume next week.", "published": "2023-01-02"}),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"text": "The embassy said the report was false and misleading."}),
    ]))
    items = list(iter_articles([f]))
    ok = [i for i in items if not isinstance(i, Rejected)]
    bad = [i for i in items if isinstance(i, Rejected)]
    assert [a.id for a in ok][0] == "one" and ok[0].published == "2023-01-02"
    assert len(ok) == 2
    assert [b.path for b in bad] == [f"{f}:2", f"{f}:3"]
    assert "not valid JSON" in bad[0].reason and "text" in bad[1].reason


def test_bad_inputs_are_reported_and_the_batch_goes_on(tmp_path):
    (tmp_path / "empty.txt").write_text("   \n")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\x89PNG\x00" * 100)
    (tmp_path / "huge.txt").write_bytes(b"word " * (MAX_BYTES // 5 + 10))
    (tmp_path / "latin.txt").write_bytes("The caf\xe9 owner said the minister had resigned.".encode("cp1252"))
    (tmp_path / "german.txt").write_text("Der Minister sagte am Dienstag, dass die Gespräche in der nächsten Woche "
                                         "wieder aufgenommen werden, und die Regierung bestätigte das.")
    (tmp_path / "good.txt").write_text("The minister said on Tuesday that the talks would resume next week.")
    items = {(i.path.rsplit("/", 1)[-1]): i for i in iter_articles([tmp_path])}
    assert isinstance(items["empty.txt"], Rejected) and items["empty.txt"].reason == "empty input"
    assert isinstance(items["binary.txt"], Rejected) and "binary" in items["binary.txt"].reason
    assert isinstance(items["huge.txt"], Rejected) and "limit" in items["huge.txt"].reason
    latin = items["latin.txt"]
    assert not isinstance(latin, Rejected) and "café" in latin.text
    assert any("Windows-1252" in w for w in latin.warnings)
    german = items["german.txt"]  # read, in its own language (languages/read.py): no warning
    assert german.language == "de" and german.warnings == []
    assert items["good.txt"].language == "en" and items["good.txt"].warnings == []


def test_missing_path_is_rejected():
    items = list(iter_articles(["/nonexistent/nowhere.txt"]))
    assert len(items) == 1 and isinstance(items[0], Rejected) and items[0].reason == "no such file or folder"


@pytest.mark.parametrize("text,expected", [
    ("The government said the report was wrong and that it would respond.", "en"),
    ("Le gouvernement a déclaré que le rapport était faux et qu'il répondrait.", "fr"),
    # Written for this test, in the languages the parties to the seed's story answer in.
    ("북한 국방성은 월요일 러시아에 포탄을 보낸다는 주장을 근거 없는 소문이라고 일축했다.", "ko"),
    ("Министерство иностранных дел назвало эти обвинения беспочвенными.", "ru"),
    ("外交部发言人表示，这一说法毫无根据。", "zh"),
    ("نفت وزارة الخارجية الإيرانية يوم الاثنين إرسال طائرات مسيرة إلى روسيا.", "ar"),
    ("وزارت خارجه ایران روز دوشنبه ارسال پهپاد به روسیه را تکذیب کرد.", "fa"),
    # No spaces between words, and right to left: told all the same.
    ("政府は月曜日、その報道は根拠がないと否定した。", "ja"),
    ("משרד החוץ הכחיש את הדיווחים ביום שני.", "he"),
    # English with a quotation in another language is English, and read.
    ("The ministry said on Monday: «Это ложь и провокация», and it called the report groundless.", "en"),
    ("", "und"),
    ("12 34 ### !!", "und"),
])
def test_language(text, expected):
    assert language(text) == expected


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_text_with_a_byte_order_mark_is_decoded(tmp_path, codec):
    import codecs

    text = "The minister said on Tuesday that the café would reopen — “soon”."
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE, "utf-32-le": codecs.BOM_UTF32_LE,
           "utf-32-be": codecs.BOM_UTF32_BE}.get(codec, b"")
    (tmp_path / "a.txt").write_bytes(bom + text.encode(codec))
    [article] = iter_articles([tmp_path / "a.txt"])
    assert not isinstance(article, Rejected) and article.text == text and article.warnings == []


def test_other_encodings_are_detected_and_named(tmp_path):
    (tmp_path / "ru.txt").write_bytes("Министр заявил во вторник, что переговоры возобновятся на следующей "
                                      "неделе, а правительство это подтвердило.".encode("cp1251"))
    [article] = iter_articles([tmp_path / "ru.txt"])
    assert not isinstance(article, Rejected) and article.text.startswith("Министр заявил")
    assert any("decoded as Windows-1251" in w for w in article.warnings)


def test_a_file_of_many_articles_may_be_larger_than_one_article_and_gzipped(tmp_path):
    import gzip
    import json

    from counterclaim.ingest import Rejected, iter_articles

    line = json.dumps({"text": "Peru denied that it had seized any Chilean boats. " * 40})
    lines = [line.replace("Peru", f"Peru{n}", 1) for n in range(2500)]  # about 5.1 MB of JSON Lines
    big = tmp_path / "big.jsonl"
    big.write_text("\n".join(lines) + "\n")
    assert big.stat().st_size > 5_000_000
    read = list(iter_articles([big]))
    assert len(read) == 2500 and not any(isinstance(x, Rejected) for x in read)
    packed = tmp_path / "small.jsonl.gz"
    packed.write_bytes(gzip.compress(("\n".join(lines[:3]) + "\n").encode()))
    assert [isinstance(x, Rejected) for x in iter_articles([packed])] == [False] * 3
    broken = tmp_path / "broken.txt.gz"
    broken.write_bytes(b"not gzip at all")
    assert [x.reason[:16] for x in iter_articles([broken])] == ["cannot read: not"]


def test_a_short_text_in_chinese_characters_is_told():
    # Eleven characters: too few letters for a word-based language, plenty for Chinese.
    assert language("伊朗向俄罗斯提供无人机。") == "zh"
