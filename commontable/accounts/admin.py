from django.contrib import admin

from commontable.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("email", "full_name", "role", "preferred_language", "is_active")
    list_filter = ("role", "is_active", "preferred_language")
    search_fields = ("email", "full_name")
    exclude = ("password", "user_permissions", "groups")
    readonly_fields = ("last_login", "date_joined")

    def save_model(self, request, obj, form, change):
        """A change of role goes through the service, so it is audited and takes effect at once."""
        from commontable.accounts.services import user_role_set

        new_role = obj.role
        if change and "role" in form.changed_data:
            obj.role = form.initial["role"]
            super().save_model(request, obj, form, change)
            user_role_set(user=obj, role=new_role, actor=request.user)
        else:
            super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "expires_at", "revoked_at")
    readonly_fields = ("prefix", "digest", "created_at", "last_used_at")
