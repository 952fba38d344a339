from hypothesis import given, settings, strategies as st

from counterclaim.attribution.quotes import scan


def inner(text, q):
    return [text[s:e] for s, e in q.parts]


def test_curly_and_straight_double_quotes():
    text = 'He said, “We will not back down from this fight.” Later she added: "The talks are over for now."'
    r = scan(text)
    assert [inner(text, q) for q in r.quotes] == [["We will not back down from this fight."], ["The talks are over for now."]]
    assert r.warnings == []


def test_single_quotes_at_top_level_but_apostrophes_ignored():
    text = "The minister's aide said ‘the border will stay closed until spring’ and left. It's over."
    r = scan(text)
    assert [inner(text, q) for q in r.quotes] == [["the border will stay closed until spring"]]


def test_single_quotes_inside_double_belong_to_the_outer_quote():
    text = "\"We never had 'arms dealings' with anyone at all,\" the statement said."
    r = scan(text)
    assert len(r.quotes) == 1 and r.quotes[0].double
    assert "'arms dealings'" in inner(text, r.quotes[0])[0]


def test_quote_running_over_paragraphs_reopens_each_paragraph():
    text = ('The envoy said: "We came here in good faith and we stayed for two weeks.\n\n'
            '"Nobody on the other side wanted an agreement."\n\nThe talks ended on Friday.')
    r = scan(text)
    assert len(r.quotes) == 1
    assert inner(text, r.quotes[0]) == ["We came here in good faith and we stayed for two weeks.",
                                        "Nobody on the other side wanted an agreement."]
    assert r.warnings == []


def test_unbalanced_marks_warn_and_never_crash():
    text = 'The mayor said "the bridge will reopen in May.\n\nTraffic is expected to be heavy.'
    r = scan(text)
    assert r.warnings and r.warnings[0].startswith("unbalanced quotation mark at ")
    assert int(r.warnings[0].rsplit(" ", 1)[1]) == text.index('"')
    stray = scan('He left." Then nothing.')
    assert stray.warnings == ["unbalanced quotation mark at 8"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(['"', "“", "”", "‘", "’", "'", " ", "\n", "\n\n", "a", "word", ".", ",", "«", "»"]),
                max_size=80).map("".join))
def test_random_marks_never_crash_and_spans_stay_inside(text):
    r = scan(text)
    for q in r.quotes:
        for s, e in q.parts:
            assert 0 <= s <= e <= len(text)


def test_closing_mark_typed_as_an_opener_still_opens_the_quote():
    text = "”Prices went up again this week.” The shop owner shook her head.\n"
    r = scan(text)
    assert [inner(text, q) for q in r.quotes] == [["Prices went up again this week."]]
    assert any("closing quotation mark used to open" in w for w in r.warnings)
    # A closing mark after a word is an ordinary close, with no later mark to pair with.
    assert scan("He left.” Then silence.").quotes == []
