"""The rubric outline: read with every problem's line, written back to the same content."""

import pytest

from commontable.scorecards import outline, selectors, services

TEXT = """## Community power in decisions | 20
How residents shape the decisions.
- Were residents involved early? | 0-4
  Look for meetings held early,
  with interpretation.
- Is there a binding agreement? | yes-partly-no | weight 2 | no n/a

## Homes | 30
- How many affordable homes?
"""


def test_an_outline_reads_themes_criteria_scales_weights_and_guidance():
    themes = outline.parse(TEXT)
    assert [(t["name"], t["weight"]) for t in themes] == [("Community power in decisions", "20"), ("Homes", "30")]
    assert themes[0]["description"] == "How residents shape the decisions."
    first, second = themes[0]["criteria"]
    assert first["guidance"] == "Look for meetings held early, with interpretation."
    assert (second["scale"], second["weight"], second["allows_not_applicable"]) == ("yes_partly_no", "2", False)
    assert themes[1]["criteria"][0]["scale"] == "zero_to_four"


@pytest.mark.parametrize(("text", "message"), [
    ("- A question first\n", "Line 1: a question before any theme"),
    ("## T\n- Q | 0-10\n", "Line 2: “0-10” is not an answer scale"),
    ("## T\n- Q\nstray words\n", "Line 3: start a theme with ## or a question with -."),
])
def test_outline_problems_name_their_line(text, message):
    with pytest.raises(outline.OutlineError) as refused:
        outline.parse(text)
    assert any(message in p for p in refused.value.problems)


@pytest.mark.django_db
def test_an_outline_written_back_reads_the_same():
    rubric = services.rubric_create(actor=None, name="R", slug="r", themes=outline.parse(TEXT))
    written = outline.write(selectors.version_content(rubric.versions.get()))
    again = services.rubric_create(actor=None, name="R2", slug="r2", themes=outline.parse(written))
    def shape(r):
        return [(t.name, t.weight, t.description, [(c.question, c.guidance, c.scale, c.weight, c.allows_not_applicable)
                                                    for c in t.criteria.all()])
                for t in selectors.version_content(r.versions.get())]
    assert shape(rubric) == shape(again)
