"""The seats pages' shared navigation: which of its links the viewer may follow, decided by the
app's permissions (not by each page remembering to pass them)."""

from django import template

from commontable.seats import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def seats_nav_rights(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "rollup": permissions.can_see_rollup.test(user),
        "meetings": bool(user is not None and user.is_authenticated),
        "pipeline": permissions.can_manage_pipeline.test(user),
    }
