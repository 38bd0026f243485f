"""The displacement method as pure functions over arrays (numpy), with no Django and no ORM inside.

Built from `shared/displacement-method.md` (our spec), not from the Urban Displacement Project's
code. Anything published from it carries the label "not endorsed by the Urban Displacement Project".
"""
