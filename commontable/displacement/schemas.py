"""In and Out shapes of the displacement watch's API (tracts, computations, results, alerts)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from commontable.directory.schemas import Page

TypologyCode = Literal["LISD", "OD", "ARG", "EOG", "AdvG", "SMMI", "ARE", "BE", "SAE", "STUDENT", "UNAVAILABLE"]


class RunOut(BaseModel):
    id: str
    region: str
    profile: str
    t0: int
    t1: int
    synthetic: bool = Field(description="Built on invented demo data.")
    tract_count: int
    finished_at: str | None


class ResultFilters(Page):
    run: str | None = Field(None, description="Id of a finished computation (default: the current one).")
    typology: TypologyCode | None = None
    risk: Literal["low", "moderate", "higher"] | None = None


class ResultOut(BaseModel):
    geoid: str
    name: str
    typology: str
    typology_label: str
    reason: str
    stability: float | None
    fragile: bool
    risk_score: float | None
    risk_class: str
    bipoc_share: float | None
    sensitivity: dict
    alert_tier: int = Field(description="0 none; 1–3 for tracts exposed to planned investment you may see (spec §6.4).")


class ResultPage(BaseModel):
    run: RunOut
    count: int
    limit: int
    offset: int
    items: list[ResultOut]


class ResultDetailOut(ResultOut):
    blocks: dict
    inputs: dict = Field(description="Survey values used, by year: variable → [estimate, margin of error].")
    disagreement: str
    investments: list[dict]


class AlertFilters(Page):
    run: str | None = None
    tier: int = Field(1, ge=1, le=3, description="Alert tier: 1, 2 or 3.")


class AlertOut(BaseModel):
    geoid: str
    name: str
    typology: str
    exposed_land_share: float | None
    bipoc_high: bool
    investments: list[dict]


class AlertPage(BaseModel):
    run: RunOut
    count: int
    limit: int
    offset: int
    items: list[AlertOut]


class Error(BaseModel):
    detail: str
