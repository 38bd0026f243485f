"""Services behind the directory's pages (consent and merging are in test_consent_and_merge)."""

from commontable.core.audit import activity_for
from commontable.directory import services
from commontable.directory.models import Organization, Table


def test_a_generated_short_name_never_takes_a_page_path(db):
    org = services.organization_create(actor=None, name="New")
    table = services.table_create(actor=None, name="New")
    assert org.slug != "new" and table.slug != "new"


def test_names_in_scripts_without_latin_letters_still_get_a_short_name(db):
    first = services.organization_create(actor=None, name="张伟")
    second = services.organization_create(actor=None, name="محمد")
    assert first.slug and second.slug and first.slug != second.slug
    assert Organization.objects.get(pk=first.pk).name == "张伟"


def test_an_update_that_changes_nothing_leaves_no_audit_entry(personas):
    services.organization_update(organization=personas.org_a, actor=None, name="Org A")
    assert not activity_for(personas.org_a).filter(action="directory.organization.updated").exists()


def test_a_table_update_is_audited_with_what_changed(personas):
    services.table_update(table=personas.table, actor=personas.user("staff"), description="Green Line")
    entry = activity_for(Table.objects.get(pk=personas.table.pk)).get(action="directory.table.updated")
    assert entry.data["description"] == ["", "Green Line"]
    assert entry.actor == personas.user("staff")
