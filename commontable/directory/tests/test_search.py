"""People search: word prefixes, folded, on SQLite's FTS5 and PostgreSQL's GIN index alike."""

import pytest

from commontable.core.search import search_filter, search_terms
from commontable.directory import services
from commontable.directory.models import PERSON_SEARCH, Person


def _search(text):
    return set(search_filter(Person.objects.all(), PERSON_SEARCH, text).values_list("full_name", flat=True))


@pytest.fixture
def people(db):
    for name, email, aliases in [
        ("Nuur Xuseen Cabdirashiid", "nuur@example.org", "Noor Hussen Abdirashid"),
        ("Mai Vaaj", "mai.vang@example.org", "Mai Vang"),
        ("José Ñúñez", "", ""),
        ("Marisol Herrera", "marisol@example.com", ""),
    ]:
        services.person_create(actor=None, full_name=name, email=email, aliases=aliases)


def test_every_word_is_a_prefix(people):
    assert _search("xus cab") == {"Nuur Xuseen Cabdirashiid"}
    assert _search("mar") == {"Marisol Herrera"}


def test_accents_and_case_are_folded(people):
    assert _search("JOSE nunez") == {"José Ñúñez"}


def test_aliases_and_email_are_searched(people):
    assert _search("vang") == {"Mai Vaaj"}
    assert _search("noor") == {"Nuur Xuseen Cabdirashiid"}
    assert "Marisol Herrera" in _search("marisol")


def test_index_follows_updates_and_merges(people):
    person = Person.objects.get(full_name="Marisol Herrera")
    services.person_update(person=person, actor=None, full_name="Marisol Ortega")
    assert _search("ortega") == {"Marisol Ortega"}
    assert _search("herrera") == set()


def test_query_syntax_in_user_input_is_harmless(people):
    for hostile in ['"', "*", "NEAR(", "a OR b", "x' OR 1=1 --", ":*", "&|!", "\x00"]:
        _search(hostile)  # must not raise
    assert search_terms('"Nuur" OR *') == ["nuur", "or"]


def test_empty_query_leaves_the_list_unchanged(people):
    assert len(_search("  ")) == 4


def test_without_private_columns_email_is_not_searched(people):
    qs = Person.objects.all()
    assert search_filter(qs, PERSON_SEARCH, "marisol example", private=True).count() == 1
    assert search_filter(qs, PERSON_SEARCH, "example", private=False).count() == 0
    assert search_filter(qs, PERSON_SEARCH, "marisol", private=False).count() == 1
