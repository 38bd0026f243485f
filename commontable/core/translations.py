"""Linked translations (design §5a): a record's words in other languages, each knowing the source
revision it was made from.

A translatable model has a `revision` integer, raised by its services whenever its words change,
and names its words in `translatable_fields`. Then:

- `translation_save(actor=…, obj=…, language=…, fields={…}, status=…)` writes (or replaces) its
  translation into a language, recording the source revision it was made from; checked first
  (known fields, lengths, a language of the site other than the source's), audited.
- `translation_review(actor=…, translation=…)` marks it reviewed (refused while outdated).
- `translated(objects, language)` reads the words of many records in one query: each field in the
  language when translated, else the source's words; with whether the translation is missing,
  outdated or still a draft, so that pages can say so.
- `translations_copy(pairs)` carries translations over to copies (a rubric's new version).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from commontable.core.audit import log_action
from commontable.core.models import LinkedTranslation, TranslationStatus


def _fields_of(obj) -> Sequence[str]:
    names = getattr(obj, "translatable_fields", None)
    if not names or not hasattr(obj, "revision"):
        raise TypeError(f"{type(obj).__name__} is not translatable (needs translatable_fields and revision)")
    return names


def _source_language(obj) -> str:
    return getattr(obj, "source_language", None) or settings.LANGUAGE_CODE


def translation_save(*, actor, obj: models.Model, language: str, fields: Mapping[str, str],
                     status: str = TranslationStatus.DRAFT, source: str | None = None) -> LinkedTranslation:
    """Write the record's words in `language`, made from its current revision."""
    names = _fields_of(obj)
    source = source or _source_language(obj)
    problems = []
    if language not in dict(settings.LANGUAGES):
        problems.append(_("Unknown language."))
    elif language == source:
        problems.append(_("This is the language the text is written in: edit the text itself."))
    if status not in TranslationStatus.values:
        problems.append(_("Unknown translation status."))
    unknown = set(fields) - set(names)
    if unknown:
        problems.append(_("These fields cannot be translated: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    cleaned = {}
    for name, text in fields.items():
        if name in unknown:
            continue
        text = str(text or "").strip()
        limit = getattr(type(obj)._meta.get_field(name), "max_length", None)
        if limit and len(text) > limit:
            problems.append(_("%(field)s: at most %(n)s characters.")
                            % {"field": type(obj)._meta.get_field(name).verbose_name, "n": limit})
        if text:
            cleaned[name] = text
    if problems:
        raise ValidationError(problems)
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    with transaction.atomic():
        translation, _created = LinkedTranslation.objects.update_or_create(
            content_type=ct, object_id=obj.pk, language=language,
            defaults={"fields": cleaned, "source_revision": obj.revision, "status": status,
                      "translated_by": actor if getattr(actor, "pk", None) else None, "reviewed_by": None},
        )
        log_action(obj, "core.translation.saved", actor=actor, data={"language": language, "status": status,
                                                                      "revision": obj.revision})
    return translation


def translation_review(*, actor, translation: LinkedTranslation) -> LinkedTranslation:
    """Mark a translation reviewed; an outdated one must be brought up to date first."""
    obj = translation.content_type.get_object_for_this_type(pk=translation.object_id)
    if translation.source_revision < obj.revision:
        raise ValidationError(_("The text changed since this translation was made: update it first."))
    with transaction.atomic():
        translation.status = TranslationStatus.REVIEWED
        translation.reviewed_by = actor if getattr(actor, "pk", None) else None
        translation.save()
        log_action(obj, "core.translation.reviewed", actor=actor, data={"language": translation.language})
    return translation


@dataclass
class Translated:
    """A record's words for one reader: `text[field]`, and how far to trust them."""

    text: dict[str, str] = field(default_factory=dict)
    language: str = ""  # the language the words are in (the source's where not translated)
    missing: bool = False  # no translation into the wanted language
    outdated: bool = False  # translated from older words
    status: str = ""  # draft / machine / reviewed, when translated

    @property
    def is_beta(self) -> bool:
        return not self.missing and self.status != TranslationStatus.REVIEWED


def translated(objects: Iterable[models.Model], language: str, *, source: str | None = None) -> dict[int, Translated]:
    """The words of these records (one model) in `language`, keyed by primary key: one query.
    `source`: the language they are written in, when the records do not say it themselves (the
    criteria of a rubric written in one language)."""
    objects = list(objects)
    if not objects:
        return {}
    names = _fields_of(objects[0])

    def source_language(obj) -> str:
        return source or _source_language(obj)

    found: dict[int, LinkedTranslation] = {}
    wanted = [o for o in objects if source_language(o) != language]
    if wanted:
        ct = ContentType.objects.get_for_model(objects[0], for_concrete_model=False)
        for row in LinkedTranslation.objects.filter(content_type=ct, language=language,
                                                    object_id__in=[o.pk for o in wanted]):
            found[row.object_id] = row
    out = {}
    for obj in objects:
        source = {name: getattr(obj, name) for name in names}
        if source_language(obj) == language:
            out[obj.pk] = Translated(source, language)
            continue
        row = found.get(obj.pk)
        if row is None:
            out[obj.pk] = Translated(source, source_language(obj), missing=True)
            continue
        text = {name: row.fields.get(name) or source[name] for name in names}
        out[obj.pk] = Translated(text, language, outdated=row.source_revision < obj.revision, status=row.status)
    return out


def translations_copy(pairs: Sequence[tuple[models.Model, models.Model]]) -> int:
    """Give each copy (second) the translations of its original (first), as they are."""
    if not pairs:
        return 0
    ct = ContentType.objects.get_for_model(pairs[0][0], for_concrete_model=False)
    copy_of = {original.pk: copy.pk for original, copy in pairs}
    rows = LinkedTranslation.objects.filter(content_type=ct, object_id__in=list(copy_of))
    made = [LinkedTranslation(content_type=ct, object_id=copy_of[row.object_id], language=row.language,
                              fields=row.fields, source_revision=row.source_revision, status=row.status,
                              translated_by_id=row.translated_by_id, reviewed_by_id=row.reviewed_by_id)
            for row in rows]
    LinkedTranslation.objects.bulk_create(made)
    return len(made)


def translations_delete(model: type[models.Model], pks: Iterable[int]) -> None:
    """Forget the translations of records that are being deleted."""
    ct = ContentType.objects.get_for_model(model, for_concrete_model=False)
    LinkedTranslation.objects.filter(content_type=ct, object_id__in=list(pks)).delete()
