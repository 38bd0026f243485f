"""Linked translations (core.translations) on the first records that use them, rubric criteria:
saved from a revision, outdated when the source's words change, read for many records in one
query with the source's words where untranslated, copied with new versions."""

import pytest
from django.core.exceptions import ValidationError

from commontable.core.models import ActivityLog, LinkedTranslation, TranslationStatus
from commontable.core.translations import translated, translation_review, translation_save, translations_copy
from commontable.scorecards import services
from commontable.scorecards.models import Criterion

pytestmark = pytest.mark.django_db


@pytest.fixture
def criteria(rubric):
    return list(Criterion.objects.filter(theme__version__rubric=rubric).order_by("theme__position", "position"))


def test_a_translation_is_read_with_the_source_where_missing_in_one_query(criteria, django_assert_num_queries):
    first, second, _third = criteria
    translation_save(actor=None, obj=first, language="es", fields={"question": "¿Se consultó a los residentes a tiempo?"})
    with django_assert_num_queries(1):
        words = translated(criteria, "es", source="en")
    assert words[first.pk].text["question"] == "¿Se consultó a los residentes a tiempo?"
    assert words[first.pk].text["guidance"] == first.guidance  # a field left empty falls back to the source
    assert words[first.pk].status == "draft" and words[first.pk].is_beta and not words[first.pk].outdated
    assert words[second.pk].missing and words[second.pk].text["question"] == second.question
    with django_assert_num_queries(0):  # in the source language: nothing to read
        assert translated(criteria, "en", source="en")[first.pk].text["question"] == first.question
    assert ActivityLog.objects.filter(action="core.translation.saved").count() == 1


def test_changed_words_make_the_translation_outdated_until_updated(rubric, criteria, personas):
    first = criteria[0]
    translation = translation_save(actor=None, obj=first, language="so", fields={"question": "Su'aal"})
    services.criterion_update(actor=None, criterion=first, question="Were residents asked before the design began?")
    words = translated([first], "so", source="en")[first.pk]
    assert words.outdated and words.text["question"] == "Su'aal"
    with pytest.raises(ValidationError, match="changed since"):
        translation_review(actor=personas.user("staff"), translation=translation)
    updated = translation_save(actor=None, obj=first, language="so", fields={"question": "Su'aal cusub"})
    assert updated.pk == translation.pk and LinkedTranslation.objects.count() == 1
    reviewed = translation_review(actor=personas.user("staff"), translation=updated)
    assert reviewed.status == TranslationStatus.REVIEWED and reviewed.reviewed_by == personas.user("staff")
    words = translated([first], "so", source="en")[first.pk]
    assert not words.outdated and not words.is_beta


@pytest.mark.parametrize(("language", "fields", "message"), [
    ("xx", {"question": "Q"}, "Unknown language"),
    ("en", {"question": "Q"}, "the language the text is written in"),
    ("es", {"scale": "zero_to_ten"}, "cannot be translated"),
    ("es", {"question": "x" * 501}, "at most 500"),
])
def test_bad_translations_are_refused_and_nothing_is_written(criteria, language, fields, message):
    with pytest.raises(ValidationError) as refused:
        translation_save(actor=None, obj=criteria[0], language=language, fields=fields, source="en")
    assert any(message in m for m in refused.value.messages)
    assert not LinkedTranslation.objects.exists()


def test_a_new_version_carries_the_translations_and_replaced_content_drops_them(rubric, criteria):
    translation_save(actor=None, obj=criteria[0], language="hmn", fields={"question": "Lo lus nug"})
    version = services.version_publish(actor=None, version=rubric.versions.get())
    draft = services.version_new_draft(actor=None, version=version)
    copied = Criterion.objects.get(theme__version=draft, position=1, theme__position=1)
    words = translated([copied], "hmn", source="en")[copied.pk]
    assert words.text["question"] == "Lo lus nug" and not words.outdated
    services.version_content_replace(actor=None, version=draft, themes=[{"name": "New", "criteria": [{"question": "Q"}]}])
    assert LinkedTranslation.objects.count() == 1  # the published version's own stays
    assert translations_copy([]) == 0


def test_untranslatable_records_are_refused(personas):
    with pytest.raises(TypeError):
        translation_save(actor=None, obj=personas.user("staff"), language="es", fields={})
