"""Named providers and contributions between apps that may not import each other."""

from commontable.core import hooks


def test_a_missing_provider_gives_the_default():
    assert hooks.call("no.such.hook", default="fallback") == "fallback"


def test_contributions_are_collected_in_order_once_each_and_none_is_left_out(monkeypatch):
    monkeypatch.setattr(hooks, "_contributors", {})

    def first(*, n):
        return {"n": n}

    def nothing(*, n):
        return None

    def second(*, n):
        return n * 2

    for contributor in (first, nothing, second, first):  # an app made ready twice adds nothing
        hooks.contribute("test.list", contributor)
    assert hooks.collect("test.list", n=3) == [{"n": 3}, 6]
    assert hooks.collect("test.unknown", n=3) == []
