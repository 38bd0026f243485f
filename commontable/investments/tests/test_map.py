from django.urls import reverse

from commontable.core.testing import assert_permission_matrix, login_as
from commontable.core.visibility import Visibility
from commontable.investments.tests.factories import InvestmentFactory

POINT = {"type": "Point", "coordinates": [-93.16, 44.95]}
MAP = reverse("investments:investment_map")


def test_the_map_page_is_for_members(client, personas):
    assert_permission_matrix(client, personas, "get", MAP, {
        "anonymous": 302, "public_user": 403, "member_a": 200, "member_b": 200, "table_member": 200,
        "board": 200, "staff": 200, "admin": 200,
    })


def test_the_map_lists_the_located_investments_the_viewer_may_see(client, personas):
    InvestmentFactory(name="Snelling Station", geometry=POINT, min_lon=-93.16, min_lat=44.95, max_lon=-93.16, max_lat=44.95)
    InvestmentFactory(name="Staff-only Site", geometry=POINT, visibility=Visibility.STAFF)
    InvestmentFactory(name="Somewhere Unknown")  # no location
    login_as(client, personas, "member_a")
    page = client.get(MAP).content.decode()
    assert "Snelling Station" in page
    assert "Staff-only Site" not in page and "Somewhere Unknown" not in page
    # The script reads the GeoJSON and the county outlines from the page; nothing is inline.
    assert 'data-source="/api/v1/investments.geojson"' in page
    assert "counties.geojson" in page
