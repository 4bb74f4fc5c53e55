"""The scenario file's schema: one frozen pydantic model per TOML table, unknown keys rejected.

Every rule R1–R13 is a field here, never a constant in code. ``scenarios/README.md`` documents
each key. Paths in a scenario are relative to the scenario file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    Strict,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from dekomopt.sobolsize import sobol_samples_problem

Number = Annotated[float, Strict()]
Share = Annotated[float, Strict(), Field(ge=0.0, le=1.0)]
NonNegFloat = Annotated[float, Strict(), Field(ge=0.0)]
PositiveFloat = Annotated[float, Strict(), Field(gt=0.0)]
SeUnit = Literal["unitless", "kr/FTE", "km", "FTE", "owners"]
"""The units of ``simulate``'s scalar metrics, as ``summary.csv`` names them."""
Text = Annotated[str, Strict()]
Name = Annotated[str, Strict(), Field(min_length=1)]
Kommunenummer = Annotated[str, Strict(), Field(pattern=r"^\d{4}$")]

TEXT_LANGUAGES = ("nb", "nn", "en")
"""Languages a scenario's free text may be given in."""
_FALLBACK = {"nb": ("nb", "nn", "en"), "nn": ("nn", "nb", "en"), "en": ("en", "nb", "nn")}


class LocalText(str):
    """A scenario's free text: one string shown as written, or one text per language.

    As a ``str`` it is the English text when given, else the bokmål, else the nynorsk (the
    command line and JSON outputs are English); :meth:`in_language` picks the reader's
    language, falling back nb ↔ nn, then English.
    """

    translations: dict[str, str]

    def __new__(cls, value: str | Mapping[str, str]) -> LocalText:
        if isinstance(value, Mapping):
            given = {lang: str(value[lang]) for lang in TEXT_LANGUAGES if lang in value}
            shown = next(given[lang] for lang in ("en", "nb", "nn") if lang in given)
            made = super().__new__(cls, shown)
            made.translations = given
            return made
        made = super().__new__(cls, value)
        made.translations = {}
        return made

    def in_language(self, lang: str) -> str:
        """The text in ``lang`` (or the nearest language given); as written if not per language."""
        for candidate in _FALLBACK.get(lang, TEXT_LANGUAGES):
            if candidate in self.translations:
                return self.translations[candidate]
        return str(self)


def _local_text(value: object) -> LocalText:
    if isinstance(value, LocalText):
        return value
    if isinstance(value, str):
        return LocalText(value)
    if isinstance(value, Mapping):
        unknown = sorted(str(k) for k in value if k not in TEXT_LANGUAGES)
        if unknown:
            raise ValueError(f"unknown language key(s) {', '.join(unknown)}; use nb, nn and en")
        if not value:
            raise ValueError("give the text in at least one of nb, nn, en")
        bad = sorted(str(k) for k, v in value.items() if not isinstance(v, str))
        if bad:
            raise ValueError(f"the text for {', '.join(bad)} must be a string")
        return LocalText(value)
    raise ValueError('give a string or a table { nb = "…", nn = "…", en = "…" }')


FreeText = Annotated[
    LocalText,
    PlainValidator(_local_text),
    PlainSerializer(lambda t: t.translations or str(t), return_type=object),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string"},
                {"type": "object", "properties": {k: {"type": "string"} for k in TEXT_LANGUAGES}},
            ]
        }
    ),
]
"""Free text of a scenario: a string, or ``{ nb = "…", nn = "…", en = "…" }``."""


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _non_empty(name: LocalText) -> None:
    """Refuse a name that is empty in any of its languages."""
    if not str(name).strip() or not all(t.strip() for t in name.translations.values()):
        raise ValueError("name: give a non-empty name")


class ScenarioMeta(_Table):
    """``[scenario]``: what the scenario is."""

    name: FreeText
    """Shown in every output; as written, or per language like the other free text."""
    county: StrictStr | StrictInt | None = None
    """One of the 15 counties, by name or number. Give this or ``office``."""
    office: StrictStr | None = None
    """One of the 10 Statsforvalter offices (short or full name): one scenario for all its
    counties. Give this or ``county``."""
    regime: Literal["dekom", "kollektiv-2026"]
    year: Annotated[StrictInt, Field(ge=2017, le=2100)]
    description: FreeText = LocalText("")
    assumptions: tuple[FreeText, ...] = ()
    seed: Annotated[StrictInt, Field(ge=0)] = 0

    @model_validator(mode="after")
    def _named(self) -> ScenarioMeta:
        _non_empty(self.name)
        return self

    @model_validator(mode="after")
    def _one_scope(self) -> ScenarioMeta:
        if (self.county is None) == (self.office is None):
            raise ValueError("give exactly one of 'county' and 'office'")
        return self


class SetAside(_Table):
    """One set-aside taken before distribution (R6): a share of the total or an amount."""

    name: FreeText
    """Shown in the report and workbook; as written, or per language like the other free
    text."""
    share: Share | None = None
    amount_nok: Annotated[StrictInt, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def _named(self) -> SetAside:
        _non_empty(self.name)
        return self

    @model_validator(mode="after")
    def _one_of(self) -> SetAside:
        if (self.share is None) == (self.amount_nok is None):
            raise ValueError("give exactly one of 'share' and 'amount_nok'")
        return self


class YearBudget(_Table):
    """A later year of a multi-year scenario (R10)."""

    year: Annotated[StrictInt, Field(ge=2017, le=2100)]
    total_nok: Annotated[StrictInt, Field(gt=0)]


class Budget(_Table):
    """``[budget]``: the state grant, set-asides (R6) and last year's allocation (R10)."""

    total_nok: Annotated[StrictInt, Field(gt=0)]
    illustrative: StrictBool = False
    source: Text = ""
    set_asides: tuple[SetAside, ...] = ()
    previous: Text | None = None
    """CSV of last year's allocation per region (columns region, amount_nok)."""
    previous_total_nok: Annotated[StrictInt, Field(gt=0)] | None = None
    years: tuple[YearBudget, ...] = ()

    @model_validator(mode="after")
    def _set_asides_fit(self) -> Budget:
        """Every problem of the table in one message (the checks do not depend on each
        other)."""
        share = sum(s.share or 0.0 for s in self.set_asides)
        amount = sum(s.amount_nok or 0 for s in self.set_asides)
        wrong = []
        if share > 1.0:
            wrong.append(f"set-aside shares add to {share:.4g}, more than 1")
        if amount >= self.total_nok:
            shown = f"{amount:,}".replace(",", " ")
            wrong.append(f"set-aside amounts add to {shown} kr, the whole budget or more")
        elif share <= 1.0 and amount + share * self.total_nok >= self.total_nok:
            wrong.append("set-asides take the whole budget or more")
        if self.previous_total_nok is not None and self.previous is None:
            wrong.append("'previous_total_nok' needs 'previous' (last year's allocation file)")
        years = [y.year for y in self.years]
        if len(set(years)) != len(years):
            wrong.append("a year is listed twice in 'years'")
        if wrong:
            raise ValueError("; ".join(wrong))
        return self


class Unassigned(_Table):
    """What to do with a municipality in no region."""

    action: Literal["error", "assign"] = "error"
    assign: dict[Kommunenummer, Text] = Field(default_factory=dict)
    reason: FreeText = LocalText("")


class Structure(_Table):
    """``[structure]``: the competence regions. Exactly one of source, csv, regions."""

    source: Literal["rogaland-2019-source"] | None = None
    """A bundled structure by name (the region list as the source printed it)."""
    csv: Text | None = None
    """A table of (kommunenummer, region): CSV in either dialect, or ``file.xlsx[#sheet]``."""
    regions: dict[Text, tuple[Kommunenummer, ...]] | None = None
    """Inline: region = [kommunenummer, ...]."""
    unassigned: Unassigned = Field(default_factory=Unassigned)
    strict: StrictBool = False
    """Treat every register finding (duplicate, cleaned name, dissolved municipality) as error."""
    illustrative: StrictBool = False
    basis: FreeText = LocalText("")
    """Where the structure comes from, in words (shown in every output)."""

    @model_validator(mode="after")
    def _exactly_one(self) -> Structure:
        given = [k for k in ("source", "csv", "regions") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                f"give exactly one of 'source', 'csv', 'regions' (got {given or 'none'})"
            )
        if self.regions is not None:
            for region, members in self.regions.items():
                if not members:
                    raise ValueError(f"region '{region}' is empty")
        return self


class ExtraOwner(_Table):
    """An owner outside the municipality register (private network, county) with its FTEs."""

    id: Name
    name: Name
    kind: Literal["private", "county"]
    region: Name
    teacher_fte: NonNegFloat
    source: Name


class Owners(_Table):
    """``[owners]``: who takes part and with what figures."""

    fte_source: Name = "bundled"
    """"bundled" (or its older name "crosswalk"): the bundled figures (pre-2020 figures
    through the 2020 crosswalk where bundled, else imputed from county totals); or a file:
    a table of kommunenummer,teacher_fte (CSV in either dialect, ``file.xlsx[#sheet]``), a Udir
    statistikkportalen export, or a JSON-stat 2.0 file (ending .json)."""
    fte_missing: Literal["error", "bundled"] = "error"
    """A municipality of the scope missing from the fte_source file: an error, or its bundled
    (possibly imputed) figure, flagged as a fallback in every output."""
    fte_school_year: Annotated[str, Strict(), Field(pattern=r"^\d{4}-\d{2}$")] | None = None
    """Udir export: the school year to read (default: the latest in the file)."""
    fte_indicator: Name = "Antall lærerårsverk"
    """Udir export: the indicator to read."""
    fte_owner_form: Name | None = None
    """Udir export: the owner form (default "Alle eierformer" when present)."""
    kindergarten_fte: Text | None = None
    """Kindergarten staff (årsverk) per municipality (kommunenummer,kindergarten_fte): the key
    of the kindergarten part in the kollektiv-2026 regime (owners not in the file count 0);
    without it the kindergarten part follows the school key (teacher FTEs)."""
    exclude_private: StrictBool = True
    """Scale municipal all-owner FTEs by the county's public share (private schools own apart)."""
    private_network: StrictBool = False
    """Add the county's private-school network as one owner with the county's private FTEs."""
    private_network_region: Name = "Friskolane"
    non_participating: tuple[Text, ...] = ()
    """R8: owners (kommunenummer or extra owner id) that do not take part."""
    needs: Text | None = None
    """CSV of reported needs (owner, theme, need_nok) — R11."""
    cofinancing_capacity: Text | None = None
    """CSV of co-financing capacity (owner, capacity_nok) — R4."""
    extra: tuple[ExtraOwner, ...] = ()


class ExtraPartner(_Table):
    """A partner not in the bundled campus list (a university or university college outside
    the bundled counties, a fagskole, another competence environment).

    Its place: ``kommunenummer``, the campus's municipality (the partner is placed at that
    municipality's point, as municipalities are), or ``lat``/``lon``; neither means the
    location is unknown, and travel to it is reported as unavailable (never measured to a
    made-up place)."""

    id: Name
    name: FreeText
    """Shown in every output; as written, or per language like the other free text."""
    kind: Literal["uh", "fagskole", "other"]
    kommunenummer: Kommunenummer | None = None
    lat: Annotated[float, Strict(), Field(ge=-90, le=90)] | None = None
    lon: Annotated[float, Strict(), Field(ge=-180, le=180)] | None = None
    source: Name

    @model_validator(mode="after")
    def _named(self) -> ExtraPartner:
        _non_empty(self.name)
        return self

    @model_validator(mode="after")
    def _one_place(self) -> ExtraPartner:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both 'lat' and 'lon', or neither")
        if self.kommunenummer is not None and self.lat is not None:
            raise ValueError("give the campus's 'kommunenummer' or 'lat'/'lon', not both")
        return self


class Partners(_Table):
    """``[partners]``: eligible partners, capacities and partnership edges (R9)."""

    eligible: tuple[Text, ...]
    """Partner ids (bundled campus ids such as "UiS-Ullandhaug", or ids of partners given in
    ``extra`` or ``extra_csv``)."""
    capacity_nok: dict[Text, NonNegFloat] = Field(default_factory=dict)
    capacity_csv: Text | None = None
    """A table of (partner, capacity_nok) instead of, or beside, ``capacity_nok``."""
    extra_csv: Text | None = None
    """A table of partners not in the bundled campus list, beside ``extra``: id, name, kind,
    kommunenummer (the campus's municipality; empty = location unknown), source. CSV in either
    dialect, or ``file.xlsx[#sheet]``."""
    edges: Literal["nearest", "all"] | dict[Text, tuple[Text, ...]] = "nearest"
    """"nearest": each region to its nearest eligible partner; "all": every region to every
    eligible partner; or a table region = [partner ids]."""
    extra: tuple[ExtraPartner, ...] = ()


class KeyWeights(_Table):
    """R2/R12: weights of the regional key (add to 1)."""

    fte: Share = 1.0
    distance: Share = 0.0
    special: Share = 0.0

    @model_validator(mode="after")
    def _sum_to_one(self) -> KeyWeights:
        total = self.fte + self.distance + self.special
        if abs(total - 1.0) > 1e-9:
            raise ValueError(f"key weights add to {total:.6g}, not 1")
        return self


class RulesTable(_Table):
    """``[rules]``: the scheme's rules as numbers (R3–R12)."""

    uh_share_min: Share
    uh_scope: Literal["county", "region"] = "county"
    cofinancing_share: Share
    special_ed_share_min: Share = 0.0
    kindergarten_share: Share | None = None
    key_weights: KeyWeights = Field(default_factory=KeyWeights)
    special_challenges: dict[Text, NonNegFloat] = Field(default_factory=dict)
    key_tolerance: Share | None = None
    """R2: each region's total within ±this share of its key amount; 0 = strictly pro rata."""
    owner_split: Literal["fte", "free"] = "fte"
    stability_max_change: Share | None = None
    rounding_unit_nok: Annotated[StrictInt, Field(ge=1)] = 1
    distance_cost: NonNegFloat = 0.01
    need_cost: NonNegFloat = 1.0


class Metrics(_Table):
    """``[metrics]``: parameters of the fairness metrics."""

    travel_cost_nok_per_km_fte: NonNegFloat = 0.0
    coordination_cost_nok: NonNegFloat = 0.0
    size_thresholds_fte: tuple[NonNegFloat, NonNegFloat] = (50.0, 300.0)
    themes_chosen: Annotated[StrictInt, Field(ge=1)] = 1

    @model_validator(mode="after")
    def _ordered(self) -> Metrics:
        small, large = self.size_thresholds_fte
        if small > large:
            raise ValueError(
                "size_thresholds_fte must be (small_max, large_min) with small ≤ large"
            )
        return self


class Uncertainty(_Table):
    """``[uncertainty]``: what varies between Monte Carlo draws, and how."""

    fte_noise: NonNegFloat = 0.0
    """Relative noise on each owner's teacher FTEs (standard deviation as a share)."""
    fte_distribution: Literal["normal", "lognormal", "uniform"] = "normal"
    """normal: FTE·max(0, 1 + ε·noise); lognormal: FTE·exp(ε·noise − noise²/2);
    uniform: FTE·U(1 − noise, 1 + noise)."""
    participation: Share = 1.0
    """R8: probability that an owner takes part in a draw."""
    participation_by_owner: dict[Text, Share] = Field(default_factory=dict)
    """Per-owner participation probabilities (kommunenummer or owner id) overriding the default."""
    budget_change: NonNegFloat = 0.0
    """Relative standard deviation of the state budget's change."""
    budget_distribution: Literal["normal", "uniform"] = "normal"
    partner_capacity_noise: NonNegFloat = 0.0
    """Relative noise on each finite partner capacity."""
    needs_probability: Share | None = None
    """If set, each owner reports a need for each theme with this probability in each draw;
    an owner that does not report has no need on record (R11 then leaves its region uncapped
    in that theme, as a missing row of ``owners.needs`` does)."""
    needs_nok_per_fte: NonNegFloat = Field(default=0.0, validate_default=True)
    """Size of a drawn need, per teacher FTE (kroner)."""
    draws: Annotated[StrictInt, Field(ge=1)] = 1000
    chunk_size: Annotated[StrictInt, Field(ge=1)] = 1000
    target_se: (
        PositiveFloat | Annotated[dict[SeUnit, PositiveFloat], Field(min_length=1)] | None
    ) = None
    """Stop early once every scalar metric of a unit with a target has a Monte Carlo standard
    error below that target, in the metric's own unit: a number is the target of the
    unitless metrics (indices, shares, ratios, power, need match); a table such as
    ``{ unitless = 0.002, "kr/FTE" = 20 }`` gives each unit its own. Metrics of a unit
    without a target are not checked (:meth:`se_targets`)."""
    max_infeasible_share: Share = 0.05
    """``dekomopt simulate`` exits with status 1 when a larger share of draws is infeasible."""

    @field_validator("fte_distribution")
    @classmethod
    def _no_negative_fte(cls, kind: str, info: ValidationInfo) -> str:
        noise = info.data.get("fte_noise", 0.0)
        if kind == "uniform" and noise > 1:
            raise ValueError(
                f"with fte_noise {noise:g} it can draw negative FTEs "
                f"(FTE × (1 − {noise:g}) at the low end); give fte_noise at most 1"
            )
        return kind

    @field_validator("budget_distribution")
    @classmethod
    def _positive_grant(cls, kind: str, info: ValidationInfo) -> str:
        change = info.data.get("budget_change", 0.0)
        if kind == "uniform" and change >= 1:
            raise ValueError(
                f"with budget_change {change:g} it can draw a state grant of 0 kr "
                f"or less (budget × (1 − {change:g}) at the low end); give budget_change "
                "below 1"
            )
        return kind

    def se_targets(self) -> dict[str, float]:
        """The stop rule's target per unit (empty: no stop rule)."""
        if self.target_se is None:
            return {}
        if isinstance(self.target_se, dict):
            return {str(unit): target for unit, target in self.target_se.items()}
        return {"unitless": self.target_se}

    @field_validator("needs_nok_per_fte")
    @classmethod
    def _needs(cls, value: float, info: ValidationInfo) -> float:
        if info.data.get("needs_probability") is not None and value <= 0:
            raise ValueError(
                "is 0, so every need drawn (needs_probability) is 0 kr: a region and theme "
                "where every owner reports gets nothing; give it above 0 or leave out "
                "needs_probability"
            )
        return value


class StructuresSpec(_Table):
    """``[structures]``: the rules every alternative structure must meet, and how to find them.

    ``regions`` fixes the number of geographic regions; ``regions_min``/``regions_max`` give a
    range; neither means today's number. ``links`` says which borders make municipalities
    neighbours. ``balance`` keeps every region's teacher FTEs within that relative tolerance of
    the mean; ``min_fte`` is a floor on a region's FTEs; each list in ``together`` stays in one
    region; ``max_partner_km`` caps a region's FTE-weighted distance to its nearest eligible
    partner. ``method`` enumerates every structure, or samples ``samples`` structures with
    ``chains`` ReCom chains.
    """

    regions: Annotated[StrictInt, Field(ge=1)] | None = None
    regions_min: Annotated[StrictInt, Field(ge=1)] | None = None
    regions_max: Annotated[StrictInt, Field(ge=1)] | None = None
    links: Literal["land", "land+sea"] = "land+sea"
    balance: Annotated[float, Strict(), Field(ge=0.0)] | None = None
    min_fte: Annotated[float, Strict(), Field(gt=0.0)] | None = None
    together: tuple[tuple[Kommunenummer, ...], ...] = ()
    max_partner_km: Annotated[float, Strict(), Field(gt=0.0)] | None = None
    extra_links: tuple[tuple[Kommunenummer, Kommunenummer], ...] = ()
    """Neighbour pairs the bundled adjacency lacks (a bridge, a tunnel), stated in the scenario."""
    extra_links_reason: FreeText = LocalText("")
    method: Literal["enumerate", "sample"] = "enumerate"
    samples: Annotated[StrictInt, Field(ge=1)] = 10_000
    chains: Annotated[StrictInt, Field(ge=2)] = 4

    @model_validator(mode="after")
    def _one_count(self) -> StructuresSpec:
        ranged = (self.regions_min, self.regions_max)
        if self.regions is not None and any(v is not None for v in ranged):
            raise ValueError("give 'regions' or 'regions_min'/'regions_max', not both")
        if (self.regions_min is None) != (self.regions_max is None):
            raise ValueError("give both 'regions_min' and 'regions_max'")
        if (
            self.regions_min is not None
            and self.regions_max is not None
            and self.regions_min > self.regions_max
        ):
            raise ValueError("'regions_min' is larger than 'regions_max'")
        return self

    def region_counts(self, today: int) -> tuple[int, ...]:
        """The numbers of geographic regions to analyse (``today`` when none is given)."""
        if self.regions is not None:
            return (self.regions,)
        if self.regions_min is not None and self.regions_max is not None:
            return tuple(range(self.regions_min, self.regions_max + 1))
        return (today,)

    @property
    def link_kinds(self) -> tuple[str, ...]:
        return ("land",) if self.links == "land" else ("land", "sea")


SensitivityParameter = Literal[
    "uh_share_min",
    "special_ed_share_min",
    "key_weight_distance",
    "key_tolerance",
    "distance_cost",
    "travel_cost_nok_per_km_fte",
]
ShareRange = tuple[Share, Share]
CostRange = tuple[NonNegFloat, NonNegFloat]


class SensitivitySpec(_Table):
    """``[sensitivity]``: the parameters ``dekomopt sensitivity`` varies, each uniformly over
    its range ``[low, high]``, and the Saltelli base sample size.

    ``vary`` lists the parameters varied (the others keep the scenario's values);
    ``key_weight_distance`` moves key weight from FTEs to distance (the special-challenge
    weight stays); ``travel_cost_nok_per_km_fte`` is the metrics' travel cost. The model runs
    ``samples × (len(vary) + 2)`` times.
    """

    vary: tuple[SensitivityParameter, ...] = get_args(SensitivityParameter)
    uh_share_min: ShareRange = (0.3, 0.7)
    special_ed_share_min: ShareRange = (0.0, 0.3)
    key_weight_distance: ShareRange = (0.0, 0.5)
    key_tolerance: ShareRange = (0.005, 0.1)
    distance_cost: CostRange = (0.0, 0.05)
    travel_cost_nok_per_km_fte: CostRange = (0.0, 20.0)
    samples: StrictInt = 64
    """The Saltelli base sample size (:func:`~dekomopt.sobolsize.sobol_samples_problem`)."""

    # One validator per key, so that every problem of the table is reported at once.
    @field_validator("vary", mode="before")
    @classmethod
    def _vary_once(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            if not value:
                raise ValueError("list at least one parameter")
            known = get_args(SensitivityParameter)
            wrong = []
            unknown = [str(v) for v in dict.fromkeys(value) if v not in known]
            if unknown:
                wrong.append(
                    f"unknown parameter {', '.join(map(repr, unknown))}; the parameters: "
                    + ", ".join(known)
                )
            twice = sorted({str(v) for v in value if list(value).count(v) > 1})
            if twice:
                wrong.append(f"{', '.join(twice)} listed twice; list each parameter once")
            if wrong:
                raise ValueError("; ".join(wrong))
        return value

    @field_validator(*get_args(SensitivityParameter))
    @classmethod
    def _range(cls, value: tuple[float, float], info: ValidationInfo) -> tuple[float, float]:
        low, high = value
        if not low < high:
            raise ValueError("the range must be [low, high] with low < high")
        if info.field_name == "key_tolerance" and low <= 0:
            raise ValueError("the range must start above 0")
        return value

    @field_validator("samples")
    @classmethod
    def _sobol_size(cls, value: int) -> int:
        problem = sobol_samples_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value

    def ranges(self) -> dict[str, tuple[float, float]]:
        """The varied parameters and their ranges, in the order of ``vary``."""
        return {name: tuple(getattr(self, name)) for name in self.vary}


class ScenarioFile(_Table):
    """The whole TOML document."""

    scenario: ScenarioMeta
    budget: Budget
    structure: Structure
    owners: Owners = Field(default_factory=Owners)
    partners: Partners
    rules: RulesTable
    metrics: Metrics = Field(default_factory=Metrics)
    uncertainty: Uncertainty = Field(default_factory=Uncertainty)
    structures: StructuresSpec = Field(default_factory=StructuresSpec)
    sensitivity: SensitivitySpec = Field(default_factory=SensitivitySpec)

    @model_validator(mode="after")
    def _regime(self) -> ScenarioFile:
        kg = self.rules.kindergarten_share
        if self.scenario.regime == "dekom" and kg is not None:
            raise ValueError("rules.kindergarten_share: the dekom regime funds school only")
        if self.scenario.regime == "kollektiv-2026":
            if kg is None:
                raise ValueError(
                    "rules.kindergarten_share is required in the kollektiv-2026 regime"
                )
            own = self.owners
            if (
                own.kindergarten_fte is not None
                and own.cofinancing_capacity is not None
                and self.rules.cofinancing_share > 0
                and self.rules.owner_split == "fte"
            ):
                raise ValueError(
                    "owners.kindergarten_fte with co-financing capacities needs "
                    'rules.owner_split = "free": an owner\'s co-financing spans both sectors, '
                    "whose keys differ"
                )
        return self
