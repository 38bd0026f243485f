"""A report's tract comes from the tract boundaries themselves (`selectors.tract_for_point`), with
no stand-in: inside a tract, outside every tract, and after new boundaries are loaded."""

import datetime as dt

from commontable.core.indicators import data_changed
from commontable.displacement import services_reports
from commontable.displacement.selectors import TRACTS_LABEL
from commontable.displacement.tests.factories import TractFactory


def test_the_tract_is_found_from_the_stored_boundaries(personas):
    TractFactory(geoid="27123000100", lon=-93.10, lat=44.95, half=0.01)
    TractFactory(geoid="27123000200", lon=-93.05, lat=44.95, half=0.01)
    data_changed(TRACTS_LABEL)
    member = personas.user("member_a")

    def report(lon, lat):
        return services_reports.report_create(actor=member, kind="eviction_notice", occurred_on=dt.date(2026, 11, 1),
                                              lat=lat, lon=lon, consent_aggregate=True)

    assert report(-93.101, 44.951).geoid == "27123000100"
    assert report(-93.049, 44.949).geoid == "27123000200"
    assert report(-92.5, 44.95).geoid == ""
    TractFactory(geoid="27163000300", lon=-92.5, lat=44.95, half=0.01)
    data_changed(TRACTS_LABEL)  # as the boundary import announces
    assert report(-92.5, 44.95).geoid == "27163000300"
