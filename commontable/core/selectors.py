"""Reads in core: stored files, visible exactly when the record they belong to is."""

from __future__ import annotations

from django.http import Http404

from commontable.core.models import StoredFile
from commontable.core.visibility import viewer_for


def stored_file_get_for_user(user, public_id) -> StoredFile:
    """The file, if the user may see the record it belongs to; otherwise 404."""
    try:
        stored = StoredFile.objects.select_related("owner_type").get(public_id=public_id)
    except (StoredFile.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    model = stored.owner_type.model_class()
    manager = getattr(model, "objects", None)
    if hasattr(manager, "visible_to"):
        allowed = manager.visible_to(user).filter(pk=stored.owner_id).exists()
    else:
        allowed = viewer_for(user).is_staff
    if not allowed:
        raise Http404
    return stored
