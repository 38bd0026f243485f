"""Form rendering and the input hygiene every form shares."""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from commontable.core.numbers import NumberError, parse_int
from commontable.core.text import has_control_characters


class FormRenderer(TemplatesSetting):
    form_template_name = "core/form.html"
    field_template_name = "core/field.html"


class CleanTextMixin:
    """Refuses NUL bytes and control characters in every text field, with a field-level error."""

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and has_control_characters(value):
                self.add_error(name, _("This field contains control characters (such as NUL), which are not allowed."))
        return cleaned


class BaseForm(CleanTextMixin, forms.Form):
    pass


class BaseModelForm(CleanTextMixin, forms.ModelForm):
    pass


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
