"""Reading files: encodings, front matter and the YAML traps organisers fall into."""

from __future__ import annotations

import pytest

from rgsite.read.decode import ParseError, decode, load_yaml, split_front_matter


def problem(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ParseError) as caught:
        call()
    return str(caught.value.problem)


def test_front_matter_lines_count_from_the_top_of_the_file() -> None:
    text = "---\ntitle: A talk\nspeakers:\n  - harsha\n  - ajinkya\n---\nBody\n"
    record = split_front_matter("content/sessions/x.md", text)
    assert record.data == {"title": "A talk", "speakers": ["harsha", "ajinkya"]}
    assert record.line("title") == 2
    assert record.line("speakers", 1) == 5
    assert record.body == "Body\n"
    assert record.body_line == 7


def test_unquoted_time_stays_a_time_not_base_60() -> None:
    record = load_yaml("content/site.yaml", "meeting:\n  time: 14:00\n")
    assert record.data == {"meeting": {"time": "14:00"}}


def test_yes_and_no_stay_words() -> None:
    record = load_yaml("content/site.yaml", "language: no\nanswer: yes\nflag: true\n")
    assert record.data == {"language": "no", "answer": "yes", "flag": True}


def test_dates_stay_text_so_models_can_check_them() -> None:
    record = load_yaml("f.yaml", "date: 2023-02-30\n")
    assert record.data == {"date": "2023-02-30"}


def test_duplicate_key_names_both_lines() -> None:
    message = problem(lambda: split_front_matter("s.md", "---\ntitle: a\ndate: x\ntitle: b\n---\n"))
    assert message == "s.md:4: duplicate key 'title' (first given on line 2); keep one of them"


def test_python_tags_are_refused_without_running_anything() -> None:
    message = problem(lambda: load_yaml("f.yaml", "x: !!python/object/apply:os.system ['true']\n"))
    assert message.startswith(
        "f.yaml:1: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'"
    )


def test_tabs_are_reported_on_their_line() -> None:
    message = problem(lambda: load_yaml("f.yaml", "a:\n\tb: 1\n", first_line=3))
    assert message == (
        "f.yaml:4: YAML indentation must use spaces, not tabs; replace the tab with spaces"
    )


def test_syntax_error_line_is_the_file_line() -> None:
    text = "---\ntitle: ok\nspeakers: [a, b\n---\n"
    message = problem(lambda: split_front_matter("s.md", text))
    assert message.startswith("s.md:4: invalid YAML")


def test_unclosed_front_matter() -> None:
    message = problem(lambda: split_front_matter("s.md", "---\ntitle: a\n\nbody"))
    assert message == (
        "s.md:1: front matter opened with '---' on line 1 is never closed; add a line '---' "
        "after the last field"
    )


def test_missing_opening_fence_is_explained() -> None:
    message = problem(lambda: split_front_matter("s.md", "title: a\n---\nbody"))
    assert "did you forget to add `---`" in message


@pytest.mark.parametrize(
    ("yaml_text", "kind"), [("- a\n- b\n", "a list"), ("just words\n", "a single value")]
)
def test_front_matter_must_be_a_mapping(yaml_text: str, kind: str) -> None:
    message = problem(lambda: split_front_matter("s.md", f"---\n{yaml_text}---\n"))
    assert (
        message
        == f"s.md:2: front matter is {kind}; it must be fields like 'title: ...', one per line"
    )


def test_bom_crlf_and_cr_are_normalised() -> None:
    assert decode("f", b"\xef\xbb\xbfa\r\nb\rc") == "a\nb\nc"


def test_invalid_utf8_names_the_line() -> None:
    message = problem(lambda: decode("f.md", b"ok\nbad \xff here\n"))
    assert (
        message
        == "f.md:2: the file is not valid UTF-8 (byte 0xff); save it as UTF-8 in your editor"
    )


def test_nul_bytes_are_refused() -> None:
    assert problem(lambda: decode("f.md", b"a\nb\x00")) == (
        "f.md:2: the file contains a NUL byte; is it a text file?"
    )
