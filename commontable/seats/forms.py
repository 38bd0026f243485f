"""Forms of seats at decision tables: input shape only; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from commontable.core.forms import BaseForm, BaseModelForm, DateInput
from commontable.core.models import IssueTopic, Place
from commontable.core.text import normalize_email
from commontable.core.visibility import Visibility
from commontable.directory.choices import MembershipStatus
from commontable.directory.models import Organization, Person
from commontable.investments.permissions import visible_investments
from commontable.seats.choices import NominationOutcome, Readiness, SelfIdentification, SupportKind
from commontable.seats.engagement import STANDARD
from commontable.seats.models import (
    ANSWER_CHOICES,
    MAX_MEETING_INTERVAL,
    MAX_TERM_MONTHS,
    EngagementProcess,
    Leader,
    PublicBody,
    Seat,
    Term,
)
from commontable.seats.permissions import visible_bodies

VISIBILITY_CHOICES = [(v, label) for v, label in Visibility.choices if v != Visibility.TABLE]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def jurisdictions():
    """Places a body can belong to: every kind but census tracts and neighbourhoods."""
    return Place.objects.exclude(kind__in=[Place.Kind.TRACT, Place.Kind.NEIGHBORHOOD]).order_by("kind", "name")


# The schedule's weekdays and weeks of the month, chosen by name (the model keeps "1,3" as the
# importer writes it).
WEEKDAY_CHOICES = [(str(number), name) for number, name in WEEKDAYS.items()]
NTH_CHOICES = [("1", _("First")), ("2", _("Second")), ("3", _("Third")), ("4", _("Fourth")), ("-1", _("Last"))]


class NumberListField(forms.MultipleChoiceField):
    """Boxes to tick, kept as the numbers ticked separated by commas ("" for none)."""

    widget = forms.CheckboxSelectMultiple

    def prepare_value(self, value):
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    def clean(self, value):
        chosen = super().clean(value)
        order = [key for key, _label in self.choices]
        return ",".join(sorted(set(chosen), key=order.index))


class BodyForm(BaseModelForm):
    jurisdiction = forms.ModelChoiceField(label=_("Jurisdiction"), queryset=Place.objects.none(), to_field_name="slug")
    meeting_weekdays = NumberListField(label=_("Weekdays"), choices=WEEKDAY_CHOICES, required=False)
    meeting_nth = NumberListField(label=_("Which weeks of the month"), choices=NTH_CHOICES, required=False,
                                  help_text=_("For a monthly schedule: the second and fourth Thursday, say."))
    topics = forms.ModelMultipleChoiceField(label=_("Topics"), queryset=IssueTopic.objects.order_by("name"),
                                            required=False, widget=forms.CheckboxSelectMultiple, to_field_name="slug")
    visibility = forms.ChoiceField(label=_("Who can see it"), choices=VISIBILITY_CHOICES, initial=Visibility.PUBLIC)

    class Meta:
        model = PublicBody
        fields = ["name", "jurisdiction", "kind", "topics", "appointing_authority", "description", "url",
                  "meeting_location", "meeting_frequency", "meeting_interval", "meeting_weekdays", "meeting_nth",
                  "first_meeting_on", "meeting_starts_at", "meeting_ends_at", "time_zone", "visibility"]
        widgets = {"first_meeting_on": DateInput(), "meeting_starts_at": TimeInput(), "meeting_ends_at": TimeInput(),
                   "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdictions()
        self.fields["meeting_interval"].widget.attrs.update(min=1, max=MAX_MEETING_INTERVAL)

    def _post_clean(self):
        """The services check the schedule and the rest (ADR: forms shape, services decide)."""


class SeatForm(BaseModelForm):
    class Meta:
        model = Seat
        fields = ["name", "seat_type", "constituency", "eligibility", "term_length_months", "holdover_allowed",
                  "position", "deadline_kind", "deadline_on", "deadline_note", "applications_url"]
        widgets = {"deadline_on": DateInput(), "eligibility": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term_length_months"].widget.attrs.update(min=1, max=MAX_TERM_MONTHS)

    def _post_clean(self):
        """The services check names and deadlines."""


class TermForm(BaseModelForm):
    """A term: the holder from the leadership pipeline, or named."""

    leader = forms.ModelChoiceField(label=_("Holder from the leadership pipeline"), queryset=Leader.objects.none(),
                                    required=False, to_field_name="public_id",
                                    help_text=_("Or write the holder's name below."))

    class Meta:
        model = Term
        fields = ["leader", "holder_name", "starts_on", "ends_on", "left_on", "notes"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "left_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = Leader.objects.select_related("person").order_by("person__name_folded")
        self.fields["leader"].label_from_instance = lambda leader: leader.person.full_name
        if self.instance.pk and self.instance.holder_person_id:
            self.initial.setdefault("leader", getattr(getattr(self.instance.holder_person, "leader", None),
                                                      "public_id", None))

    def clean(self):
        cleaned = super().clean()
        leader = cleaned.get("leader")
        if leader is None and not (cleaned.get("holder_name") or "").strip() and not self.instance.holder_person_id:
            self.add_error("holder_name", _("Name the holder, or choose them from the leadership pipeline."))
        return cleaned

    def _post_clean(self):
        """The services check the term against the seat's others."""

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in ("starts_on", "ends_on", "left_on")}
        data["notes"] = self.cleaned_data.get("notes") or ""
        leader = self.cleaned_data.get("leader")
        if leader is not None:
            data["holder_person"] = leader.person
            data["holder_name"] = ""
        else:
            data["holder_name"] = self.cleaned_data.get("holder_name") or ""
            if self.cleaned_data.get("holder_name"):
                data["holder_person"] = None
        return data


class DissolveForm(BaseForm):
    on = forms.DateField(label=_("Dissolved on"), widget=DateInput())


class PersonField(forms.CharField):
    """A person of the directory named by their email address or their directory identifier (too
    many people for a menu)."""

    def clean(self, value):
        text = super().clean(value).strip()
        person = None
        if "@" in text:
            person = Person.objects.active().filter(email_normalized=normalize_email(text)).first()
        else:
            try:
                person = Person.objects.active().filter(public_id=text).first()
            except Exception:  # noqa: BLE001 (not a UUID: not found)
                person = None
        if person is None:
            raise forms.ValidationError(_("No one in the directory has that email address or identifier."))
        return person


class LeaderForm(BaseModelForm):
    topics = forms.ModelMultipleChoiceField(label=_("Topics of interest"), queryset=IssueTopic.objects.order_by("name"),
                                            required=False, widget=forms.CheckboxSelectMultiple, to_field_name="slug")
    places = forms.ModelMultipleChoiceField(label=_("Places of interest"), queryset=Place.objects.none(),
                                            required=False, to_field_name="slug")
    self_identification = forms.ChoiceField(
        label=_("How they identify (only if they chose to say)"), choices=SelfIdentification.choices, required=False,
        help_text=_("Counted only in figures about five or more people, and only while they consent to it."))

    class Meta:
        model = Leader
        fields = ["topics", "places", "interested_since", "readiness", "support_needs", "self_identification",
                  "notes"]
        widgets = {"interested_since": DateInput(), "support_needs": forms.Textarea(attrs={"rows": 3}),
                   "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["places"].queryset = jurisdictions()
        self.fields["readiness"].choices = Readiness.choices

    def _post_clean(self):
        """The services check the rest."""


class LeaderCreateForm(LeaderForm):
    person = PersonField(label=_("Person (email address or directory identifier)"), max_length=254)

    class Meta(LeaderForm.Meta):
        fields = ["person", *LeaderForm.Meta.fields]


class TrainingForm(BaseForm):
    name = forms.CharField(label=_("Training"), max_length=200)
    provider = forms.CharField(label=_("Given by"), max_length=200, required=False)
    attended_on = forms.DateField(label=_("Attended on"), widget=DateInput())


class SupportForm(BaseForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=SupportKind.choices)
    on = forms.DateField(label=_("On"), widget=DateInput())
    notes = forms.CharField(label=_("Notes"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class NominationForm(BaseForm):
    leader = forms.ModelChoiceField(label=_("Leader"), queryset=Leader.objects.none(), to_field_name="public_id")
    nominated_on = forms.DateField(label=_("Nominated on"), widget=DateInput())
    endorsements = forms.ModelMultipleChoiceField(
        label=_("Endorsed by"), queryset=Organization.objects.none(), required=False, to_field_name="slug",
        help_text=_("Member organisations that endorse the nomination."))
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = Leader.objects.select_related("person").order_by("person__name_folded")
        self.fields["leader"].label_from_instance = lambda leader: leader.person.full_name
        self.fields["endorsements"].queryset = Organization.objects.filter(
            membership_status=MembershipStatus.MEMBER).order_by("name")


class OutcomeForm(BaseForm):
    outcome = forms.ChoiceField(label=_("Outcome"),
                                choices=[c for c in NominationOutcome.choices if c[0] != NominationOutcome.PENDING])
    on = forms.DateField(label=_("On"), widget=DateInput(),
                         help_text=_("For an appointment, the day the term starts."))
    term_ends_on = forms.DateField(label=_("Term ends"), required=False, widget=DateInput(),
                                   help_text=_("Leave empty to use the seat's term length."))


class ProcessForm(BaseModelForm):
    body = forms.ModelChoiceField(label=_("Public body"), queryset=PublicBody.objects.none(), required=False,
                                  to_field_name="slug")
    investment = forms.SlugField(label=_("Investment (short name in its web address)"), required=False,
                                 help_text=_("When the process concerns an investment in the register."))
    visibility = forms.ChoiceField(label=_("Who can see it"), choices=VISIBILITY_CHOICES, initial=Visibility.MEMBERS)

    class Meta:
        model = EngagementProcess
        fields = ["title", "agency", "kind", "body", "investment", "held_on", *(q.field for q in STANDARD),
                  "observations", "visibility"]
        widgets = {"held_on": DateInput(), "observations": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["body"].queryset = visible_bodies(user).order_by("name")
        for question in STANDARD:
            field = forms.TypedChoiceField(label=question.label, help_text=question.help, coerce=int, required=False,
                                           empty_value=None, widget=forms.RadioSelect,
                                           choices=[("", _("Not known")), *ANSWER_CHOICES])
            self.fields[question.field] = field
        if self.instance.pk and self.instance.investment_id:
            self.initial["investment"] = self.instance.investment.slug

    def clean_investment(self):
        slug = self.cleaned_data.get("investment")
        if not slug:
            return None
        investment = visible_investments(self.user).filter(slug=slug).first()
        if investment is None:
            raise forms.ValidationError(_("No investment you can see has that short name."))
        return investment

    def _post_clean(self):
        """The services check the rest."""

    def service_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}
