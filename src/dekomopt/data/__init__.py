"""The data layer: municipality register, region lists, teacher FTEs, geography, provenance.

See ``files/README.md`` for what each bundled file holds, its sources and caveats.
"""

from dekomopt.data.crosswalk import load_crosswalk
from dekomopt.data.fte import FteTable, pre2020_teacher_fte, private_school_fte, teacher_fte
from dekomopt.data.fte_sources import read_jsonstat
from dekomopt.data.geo import EARTH_RADIUS_KM, haversine_km, load_polygons, polygons_contain
from dekomopt.data.regionlist import (
    RegionFinding,
    RegionListCheck,
    check_region_list,
    parse_source_region_list,
    region_list_from_csv,
    rogaland_source_structure,
)
from dekomopt.data.register import (
    LINK_KINDS,
    Scope,
    counties,
    county_codes,
    county_of_code,
    load_adjacency,
    load_campuses,
    load_municipalities,
    office_short_name,
    offices,
    report_language,
    resolve_county,
    resolve_office,
    resolve_scope,
)
from dekomopt.data.versions import data_versions

__all__ = [
    "EARTH_RADIUS_KM",
    "LINK_KINDS",
    "Scope",
    "counties",
    "county_codes",
    "county_of_code",
    "office_short_name",
    "offices",
    "report_language",
    "resolve_office",
    "resolve_scope",
    "FteTable",
    "RegionFinding",
    "RegionListCheck",
    "check_region_list",
    "data_versions",
    "haversine_km",
    "load_adjacency",
    "load_campuses",
    "load_crosswalk",
    "load_municipalities",
    "load_polygons",
    "parse_source_region_list",
    "polygons_contain",
    "pre2020_teacher_fte",
    "private_school_fte",
    "read_jsonstat",
    "region_list_from_csv",
    "resolve_county",
    "rogaland_source_structure",
    "teacher_fte",
]
