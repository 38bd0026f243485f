from django.db import migrations

TWIN_CITIES = ["27003", "27019", "27037", "27053", "27123", "27139", "27163"]
POLICY_TYPES = [
    ("topa", "Tenant opportunity to purchase"),
    ("just_cause", "Just-cause eviction"),
    ("rent_stabilization", "Rent stabilisation"),
    ("inclusionary_zoning", "Inclusionary zoning"),
    ("advance_notice_of_sale", "Advance notice of sale"),
    ("right_to_counsel", "Right to counsel"),
    ("noah_preservation", "Naturally affordable housing preservation"),
    ("clt_support", "Community land trust support"),
]


def seed(apps, schema_editor):
    Region = apps.get_model("displacement", "Region")
    PolicyType = apps.get_model("displacement", "PolicyType")
    Region.objects.get_or_create(
        slug="twin_cities",
        defaults={"name": "Twin Cities seven-county region", "county_fips": TWIN_CITIES, "is_default": True},
    )
    for position, (slug, name) in enumerate(POLICY_TYPES, start=1):
        PolicyType.objects.get_or_create(slug=slug, defaults={"name": name, "position": position * 10})


class Migration(migrations.Migration):
    dependencies = [("displacement", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
