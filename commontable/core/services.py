"""Writes in core: stored files. (Imports have their own pipeline in `imports.py`.)"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models, transaction

from commontable.core.audit import log_action
from commontable.core.models import StoredFile
from commontable.core.uploads import prepare_upload, sha256


@transaction.atomic
def stored_file_create(*, actor, owner: models.Model, uploaded) -> StoredFile:
    """Check, clean and store an uploaded file for `owner`. Raises ValidationError on bad input,
    and nothing is stored."""
    data, kind = prepare_upload(uploaded)
    stored = StoredFile(
        owner_type=ContentType.objects.get_for_model(owner),
        owner_id=str(owner.pk),
        original_name=uploaded.name[:255],
        kind=kind,
        size=len(data),
        sha256=sha256(data),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    stored.file.save(f"{stored.public_id}.bin", ContentFile(data), save=False)
    stored.save()
    log_action(
        owner,
        "core.file.uploaded",
        actor=actor,
        data={"file": stored.original_name, "kind": kind, "size": len(data)},
    )
    return stored
