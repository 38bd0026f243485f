"""Placeholder replaced below."""
from commontable.core.imports import ImportSpec


class BodyImport(ImportSpec):
    kind = "seats-bodies"
    permission = "seats.manage"


class SeatImport(ImportSpec):
    kind = "seats-seats"
    permission = "seats.manage"
