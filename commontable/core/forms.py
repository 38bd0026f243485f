"""Form rendering and the input hygiene every form shares."""

import datetime as dt

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from commontable.core.numbers import FIRST_YEAR, LAST_YEAR, NumberError, parse_int
from commontable.core.text import has_control_characters

SELECT_TEMPLATE = "django/forms/widgets/select.html"


def _attrs(attrs: dict) -> str:
    """Django's attrs.html: a True value as a bare attribute, False left out, the rest as text."""
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def render_select(context: dict) -> SafeString:
    """A select (single or multiple) written in Python, exactly as our `select.html` template
    writes it: a filter menu of a hundred places costs a template node per option otherwise,
    the largest part of a list page built afresh."""
    widget = context["widget"]
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            flags = (" selected" if option["attrs"].get("selected") else "") + (
                " disabled" if option["attrs"].get("disabled") else ""
            )
            parts.append(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"{flags}>'
                f"{conditional_escape(option['label'])}</option>"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped)


class FormRenderer(TemplatesSetting):
    form_template_name = "core/form.html"
    field_template_name = "core/field.html"

    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            return render_select(context)
        return super().render(template_name, context, request)


class CleanTextMixin:
    """Refuses NUL bytes and control characters in every text field, and dates outside the years
    that files may have (core.numbers) in every date field, with a field-level error."""

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and has_control_characters(value):
                self.add_error(name, _("This field contains control characters (such as NUL), which are not allowed."))
            elif isinstance(value, dt.date) and not FIRST_YEAR <= value.year <= LAST_YEAR:
                self.add_error(name, _("Give a date between the years %(first)s and %(last)s.")
                               % {"first": FIRST_YEAR, "last": LAST_YEAR})
        return cleaned


class BaseForm(CleanTextMixin, forms.Form):
    pass


class BaseModelForm(CleanTextMixin, forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A menu of related records chosen by another field than the key (a slug, a public id):
        # Django starts it from the stored key, which matches none of its options, so an edit
        # page would show it empty and saving would clear or refuse it. Start it from the record.
        if self.instance.pk is None:
            return
        for name, field in self.fields.items():
            if (not isinstance(field, forms.ModelChoiceField) or isinstance(field, forms.ModelMultipleChoiceField)
                    or not field.to_field_name or name in (kwargs.get("initial") or {})):
                continue
            model_field = next((f for f in self.instance._meta.concrete_fields if f.name == name), None)
            if model_field is not None and model_field.is_relation:
                self.initial[name] = getattr(self.instance, name)


class DateInput(forms.DateInput):
    """The browser's date picker, with the ISO value it expects."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class StrictIntegerField(forms.IntegerField):
    """An integer field that refuses Arabic-Indic, full-width and other non-ASCII digits, which
    Django's own IntegerField would silently accept."""

    default_error_messages = {"non_ascii": _("Write the number with the digits 0–9.")}

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            try:
                parse_int(value, allow_conversion=False)
            except NumberError as exc:
                if str(exc) == "non-ascii-digits":
                    raise forms.ValidationError(self.error_messages["non_ascii"], code="non_ascii") from exc
        return super().to_python(value)


class ImportUploadForm(BaseForm):
    """The one field of every import's upload page; the file's content is checked by core.imports."""

    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "UTF-8 CSV (with commas or semicolons) or an Excel .xlsx workbook; "
            "the first row holds the column names."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):
        from commontable.core.uploads import check_upload_size

        uploaded = self.cleaned_data["file"]
        check_upload_size(uploaded)
        return uploaded
