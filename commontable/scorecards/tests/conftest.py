import pytest

from commontable.core.visibility import Visibility
from commontable.investments.tests.factories import InvestmentFactory
from commontable.scorecards import demo, services


@pytest.fixture
def rubric(db):
    return services.rubric_create(actor=None, name="Test rubric", slug="test-rubric", themes=[
        {"name": "Power", "weight": 60, "criteria": [
            {"question": "Were residents asked early?", "scale": "zero_to_four"},
            {"question": "Is there a binding agreement?", "scale": "yes_partly_no", "allows_not_applicable": False},
        ]},
        {"name": "Homes", "weight": 40, "criteria": [{"question": "How many affordable homes?", "scale": "zero_to_four"}]},
    ])


@pytest.fixture
def published(rubric):
    return services.version_publish(actor=None, version=rubric.versions.get())


@pytest.fixture
def session(published, personas):
    investment = InvestmentFactory(visibility=Visibility.PUBLIC)
    made = services.session_create(actor=personas.user("staff"), version=published, investment=investment,
                                   title="Snelling station block", public_link=True)
    return services.session_open(actor=personas.user("staff"), session=made)


@pytest.fixture
def examples(db):
    return demo.scorecards_demo_load()
