"""The checks every import command shares: the file and the account recorded as the importer."""

import pytest
from django.core.management.base import CommandError

from commontable.core.import_commands import import_actor, read_import_file


def test_a_missing_or_oversized_file_is_a_usage_error(tmp_path, settings):
    with pytest.raises(CommandError, match="No such file") as missing:
        read_import_file(str(tmp_path / "nowhere.csv"))
    assert missing.value.returncode == 2
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * 101)
    settings.COMMONTABLE_UPLOAD_MAX_BYTES = 100
    with pytest.raises(CommandError, match="larger than the upload limit"):
        read_import_file(str(big))
    small = tmp_path / "small.csv"
    small.write_bytes(b"name\nA\n")
    path, data = read_import_file(str(small))
    assert (path, data) == (small, b"name\nA\n")


def test_the_importer_must_be_an_active_account_allowed_to_import(db, django_user_model):
    assert import_actor(None, lambda account: False, "people") is None
    staff = django_user_model.objects.create_user(email="staff@example.org", password="a-long-password-1")
    assert import_actor("STAFF@example.org", lambda account: True, "people") == staff
    with pytest.raises(CommandError, match="not an active account allowed to import people") as refused:
        import_actor("staff@example.org", lambda account: False, "people")
    assert refused.value.returncode == 2
    staff.is_active = False
    staff.save()
    with pytest.raises(CommandError):
        import_actor("staff@example.org", lambda account: True, "people")
    with pytest.raises(CommandError):
        import_actor("nobody@example.org", lambda account: True, "people")
