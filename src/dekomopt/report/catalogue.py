"""Every label and sentence of the forum report, in bokmål, nynorsk and English, from one table.

Messages are ``str.format`` templates; all three languages of a message take the same fields.
"""

from __future__ import annotations

from dekomopt.errors import DekomoptError

LANGUAGES: tuple[str, ...] = ("nb", "nn", "en")
"""Report languages: bokmål (default), nynorsk, English."""

MESSAGES: dict[str, dict[str, str]] = {
    # document
    "title": {
        "nb": "Fordelingsforslag {year}: {county}",
        "nn": "Fordelingsforslag {year}: {county}",
        "en": "Distribution proposal {year}: {county}",
    },
    "subtitle": {
        "nb": "Til samarbeidsforum. Scenario «{scenario}», ordning: {regime}.",
        "nn": "Til samarbeidsforum. Scenario «{scenario}», ordning: {regime}.",
        "en": "For the cooperation forum (samarbeidsforum). "
        "Scenario “{scenario}”, regime: {regime}.",
    },
    "banner_illustrative": {
        "nb": "ILLUSTRASJON – ikke et vedtatt forslag.",
        "nn": "ILLUSTRASJON – ikkje eit vedteke forslag.",
        "en": "ILLUSTRATIVE – not an adopted proposal.",
    },
    "banner_structure": {
        "nb": "Regioninndelingen er illustrerende og ikke den som gjelder.",
        "nn": "Regioninndelinga er illustrerande og ikkje den som gjeld.",
        "en": "The region structure is illustrative, not the one in force.",
    },
    "banner_budget": {
        "nb": "Budsjettet er illustrerende og ikke det tildelte beløpet.",
        "nn": "Budsjettet er illustrerande og ikkje det tildelte beløpet.",
        "en": "The budget is illustrative, not the amount granted.",
    },
    "contents": {"nb": "Innhold", "nn": "Innhald", "en": "Contents"},
    # sections
    "sec_map": {"nb": "Kart", "nn": "Kart", "en": "Map"},
    "sec_summary": {"nb": "Sammendrag", "nn": "Samandrag", "en": "Summary"},
    "sec_regions": {"nb": "Regioner", "nn": "Regionar", "en": "Regions"},
    "sec_owners": {"nb": "Skoleeiere", "nn": "Skuleeigarar", "en": "School owners"},
    "sec_partners": {"nb": "Partnere", "nn": "Partnarar", "en": "Partners"},
    "sec_figures": {"nb": "Figurer", "nn": "Figurar", "en": "Figures"},
    "sec_rules": {"nb": "Reglene", "nn": "Reglane", "en": "The rules"},
    "sec_alternatives": {
        "nb": "Nesten like gode alternativer",
        "nn": "Nesten like gode alternativ",
        "en": "Near-optimal alternatives",
    },
    "sec_caveats": {
        "nb": "Forbehold om dataene",
        "nn": "Atterhald om dataa",
        "en": "Data caveats",
    },
    "sec_provenance": {
        "nb": "Kilder og sporbarhet",
        "nn": "Kjelder og sporbarheit",
        "en": "Provenance",
    },
    # spreadsheet sheet names
    "sheet_summary": {"nb": "Sammendrag", "nn": "Sammendrag", "en": "Summary"},
    "sheet_regions": {"nb": "Regioner", "nn": "Regionar", "en": "Regions"},
    "sheet_owners": {"nb": "Eiere", "nn": "Eigarar", "en": "Owners"},
    "sheet_partners": {"nb": "Partnere", "nn": "Partnarar", "en": "Partners"},
    "sheet_rules": {"nb": "Regler", "nn": "Reglar", "en": "Rules"},
    "sheet_sources": {"nb": "Kilder", "nn": "Kjelder", "en": "Sources"},
    # column labels
    "col_item": {"nb": "Post", "nn": "Post", "en": "Item"},
    "col_amount": {"nb": "Beløp", "nn": "Beløp", "en": "Amount"},
    "col_share": {"nb": "Andel", "nn": "Del", "en": "Share"},
    "col_bound": {"nb": "Grense", "nn": "Grense", "en": "Bound"},
    "col_status": {"nb": "Status", "nn": "Status", "en": "Status"},
    "col_region": {"nb": "Region", "nn": "Region", "en": "Region"},
    "col_fte": {"nb": "Lærerårsverk", "nn": "Lærarårsverk", "en": "Teacher FTE"},
    "col_key_share": {"nb": "Nøkkelandel", "nn": "Nøkkeldel", "en": "Key share"},
    "col_owners_nok": {"nb": "Til skoleeiere", "nn": "Til skuleeigarar", "en": "To owners"},
    "col_partners_nok": {"nb": "Til partnere", "nn": "Til partnarar", "en": "To partners"},
    "col_nok_per_fte": {
        "nb": "Kroner per årsverk",
        "nn": "Kroner per årsverk",
        "en": "NOK per FTE",
    },
    "col_previous": {"nb": "I fjor", "nn": "I fjor", "en": "Last year"},
    "col_change": {
        "nb": "Endring fra i fjor",
        "nn": "Endring frå i fjor",
        "en": "Change from last year",
    },
    "col_owner_id": {"nb": "Nummer", "nn": "Nummer", "en": "Number"},
    "col_owner": {"nb": "Skoleeier", "nn": "Skuleeigar", "en": "School owner"},
    "col_kind": {"nb": "Type", "nn": "Type", "en": "Kind"},
    "col_imputed": {"nb": "Anslått", "nn": "Anslått", "en": "Imputed"},
    "col_participates": {"nb": "Deltar", "nn": "Deltek", "en": "Takes part"},
    "col_cofinancing": {
        "nb": "Påkrevd egenandel",
        "nn": "Påkravd eigendel",
        "en": "Required co-financing",
    },
    "col_partner_id": {"nb": "Kode", "nn": "Kode", "en": "Code"},
    "col_partner": {"nb": "Partner", "nn": "Partnar", "en": "Partner"},
    "col_capacity": {"nb": "Kapasitet", "nn": "Kapasitet", "en": "Capacity"},
    "col_serves": {"nb": "Regioner", "nn": "Regionar", "en": "Regions"},
    "col_rule": {"nb": "Regel", "nn": "Regel", "en": "Rule"},
    "col_name": {"nb": "Navn", "nn": "Namn", "en": "Name"},
    "col_value": {"nb": "Verdi", "nn": "Verdi", "en": "Value"},
    "col_sense": {"nb": "Krav", "nn": "Krav", "en": "Sense"},
    "col_met": {"nb": "Oppfylt", "nn": "Oppfylt", "en": "Met"},
    "col_binding": {"nb": "Bindende", "nn": "Bindande", "en": "Binding"},
    "col_slack": {"nb": "Slakk", "nn": "Slakk", "en": "Slack"},
    "col_shadow_price": {"nb": "Skyggepris", "nn": "Skuggepris", "en": "Shadow price"},
    "col_explanation": {"nb": "Forklaring", "nn": "Forklaring", "en": "Explanation"},
    "col_key": {"nb": "Felt", "nn": "Felt", "en": "Field"},
    "col_proposal": {"nb": "Forslaget", "nn": "Forslaget", "en": "Proposal"},
    "col_alternative": {"nb": "Alternativ {n}", "nn": "Alternativ {n}", "en": "Alternative {n}"},
    "total": {"nb": "Sum", "nn": "Sum", "en": "Total"},
    # summary rows
    "row_budget_total": {
        "nb": "Statlig tilskudd før avsetninger",
        "nn": "Statleg tilskot før avsetjingar",
        "en": "State grant before set-asides",
    },
    "row_set_aside": {"nb": "Avsatt: {name}", "nn": "Avsett: {name}", "en": "Set aside: {name}"},
    "row_set_asides_total": {
        "nb": "Avsetninger i alt",
        "nn": "Avsetjingar i alt",
        "en": "Set-asides in total",
    },
    "row_budget": {"nb": "Til fordeling", "nn": "Til fordeling", "en": "To distribute"},
    "row_owners_total": {
        "nb": "Fordelt til skoleeiere",
        "nn": "Fordelt til skuleeigarar",
        "en": "Distributed to owners",
    },
    "row_partners_total": {
        "nb": "Fordelt til partnere (UH)",
        "nn": "Fordelt til partnarar (UH)",
        "en": "Distributed to partners (UH)",
    },
    "row_distributed": {"nb": "Fordelt i alt", "nn": "Fordelt i alt", "en": "Distributed in total"},
    "row_difference": {
        "nb": "Avvik fra beløpet til fordeling",
        "nn": "Avvik frå beløpet til fordeling",
        "en": "Difference from the amount to distribute",
    },
    "row_partner_share": {
        "nb": "Andel til partnere (UH)",
        "nn": "Del til partnarar (UH)",
        "en": "Share to partners (UH)",
    },
    "row_special_ed_share": {
        "nb": "Andel til spesialpedagogikk og inkluderende praksis",
        "nn": "Del til spesialpedagogikk og inkluderande praksis",
        "en": "Share to special education and inclusive practice",
    },
    "row_sector": {"nb": "Sektor: {sector}", "nn": "Sektor: {sector}", "en": "Sector: {sector}"},
    "sector_school": {"nb": "skole", "nn": "skule", "en": "school"},
    "sector_kindergarten": {"nb": "barnehage", "nn": "barnehage", "en": "kindergarten"},
    "bound_min": {"nb": "minst {bound}", "nn": "minst {bound}", "en": "at least {bound}"},
    "bound_max": {"nb": "høyst {bound}", "nn": "høgst {bound}", "en": "at most {bound}"},
    "bound_eq": {"nb": "lik {bound}", "nn": "lik {bound}", "en": "equal to {bound}"},
    "no_rule": {"nb": "ingen regel", "nn": "ingen regel", "en": "no rule"},
    "status_met": {"nb": "oppfylt", "nn": "oppfylt", "en": "met"},
    "status_not_met": {"nb": "IKKE oppfylt", "nn": "IKKJE oppfylt", "en": "NOT met"},
    "yes": {"nb": "ja", "nn": "ja", "en": "yes"},
    "no": {"nb": "nei", "nn": "nei", "en": "no"},
    "unknown": {"nb": "ukjent", "nn": "ukjend", "en": "unknown"},
    "none": {"nb": "ingen", "nn": "ingen", "en": "none"},
    "kind_municipality": {"nb": "kommune", "nn": "kommune", "en": "municipality"},
    "kind_private": {"nb": "privat", "nn": "privat", "en": "private"},
    "kind_county": {"nb": "fylkeskommune", "nn": "fylkeskommune", "en": "county"},
    "kind_uh": {"nb": "UH", "nn": "UH", "en": "university/college"},
    "kind_fagskole": {"nb": "fagskole", "nn": "fagskule", "en": "vocational college"},
    "kind_other": {"nb": "annet", "nn": "anna", "en": "other"},
    "imputed_marker_note": {
        "nb": "* Antall lærerårsverk er anslått, ikke hentet fra statistikken ({method}).",
        "nn": "* Talet på lærarårsverk er anslått, ikkje henta frå statistikken ({method}).",
        "en": "* Teacher FTEs are imputed, not taken from the statistics ({method}).",
    },
    "not_participating": {
        "nb": "deltar ikke (R8), får ingenting",
        "nn": "deltek ikkje (R8), får ingenting",
        "en": "does not take part (R8), gets nothing",
    },
    # rules report
    "rule_value_sentence": {
        "nb": "{name}: verdien er {value}, kravet er {bound_text}. Regelen er {status}.",
        "nn": "{name}: verdien er {value}, kravet er {bound_text}. Regelen er {status}.",
        "en": "{name}: the value is {value}; the requirement is {bound_text}. "
        "The rule is {status}.",
    },
    "rule_binding_sentence": {
        "nb": "Regelen er bindende: den styrer fordelingen. Å løsne kravet med {step} ville "
        "endre målfunksjonen med {effect} (skyggepris {shadow_price}).",
        "nn": "Regelen er bindande: han styrer fordelinga. Å løysa opp kravet med {step} ville "
        "endra målfunksjonen med {effect} (skuggepris {shadow_price}).",
        "en": "The rule binds: it shapes the allocation. Relaxing the requirement by {step} would "
        "change the objective by {effect} (shadow price {shadow_price}).",
    },
    "rule_relax_sentence": {
        "nb": "Regelen er bindende: den styrer fordelingen. Å løsne kravet med {step} ville "
        "senke målfunksjonen (kroner unna lærerårsverk-nøkkelen, med reise-, behovs- og "
        "likevektsledd) med {change}, {per_fte} per lærerårsverk.",
        "nn": "Regelen er bindande: han styrer fordelinga. Å løysa opp kravet med {step} ville "
        "senka målfunksjonen (kroner unna lærarårsverk-nøkkelen, med reise-, behovs- og "
        "likevektsledd) med {change}, {per_fte} per lærarårsverk.",
        "en": "The rule binds: it shapes the allocation. Relaxing the requirement by {step} "
        "would lower the objective (kroner off the FTE key, plus travel, need and tie-break "
        "terms) by {change}, {per_fte} per teacher FTE.",
    },
    "rule_binding_no_price": {
        "nb": "Regelen er bindende: den styrer fordelingen.",
        "nn": "Regelen er bindande: han styrer fordelinga.",
        "en": "The rule binds: it shapes the allocation.",
    },
    "rule_slack_sentence": {
        "nb": "Regelen er ikke bindende; slakken er {slack}. Å endre kravet innenfor denne "
        "slakken endrer ikke fordelingen.",
        "nn": "Regelen er ikkje bindande; slakken er {slack}. Å endra kravet innanfor denne "
        "slakken endrar ikkje fordelinga.",
        "en": "The rule does not bind; its slack is {slack}. Changing the requirement within "
        "this slack would not change the allocation.",
    },
    "rule_uh_share": {
        "nb": "Minsteandelen til UH er {share} av beløpet til fordeling.",
        "nn": "Minstedelen til UH er {share} av beløpet til fordeling.",
        "en": "The UH minimum is {share} of the amount distributed.",
    },
    "rule_uh_step": {
        "nb": "Å heve minsteandelen med ett prosentpoeng flytter {step} fra skoleeiere til "
        "partnere og endrer målfunksjonen med {effect}.",
        "nn": "Å heva minstedelen med eitt prosentpoeng flyttar {step} frå skuleeigarar til "
        "partnarar og endrar målfunksjonen med {effect}.",
        "en": "Raising the minimum share by one percentage point moves {step} from owners to "
        "partners and changes the objective by {effect}.",
    },
    "rule_required_cofinancing": {
        "nb": "Påkrevd egenandel: {amount}.",
        "nn": "Påkravd eigendel: {amount}.",
        "en": "Required own contribution: {amount}.",
    },
    "rules_group": {
        "nb": "{rows} rader: {met} oppfylt, {binding} bindende.",
        "nn": "{rows} rader: {met} oppfylte, {binding} bindande.",
        "en": "{rows} rows: {met} met, {binding} binding.",
    },
    "col_row": {"nb": "Rad", "nn": "Rad", "en": "Row"},
    "rule_fallback_note": {
        "nb": "(forklaring fra modellen, på engelsk)",
        "nn": "(forklaring frå modellen, på engelsk)",
        "en": "(explanation from the model)",
    },
    "step_share": {
        "nb": "ett prosentpoeng",
        "nn": "eitt prosentpoeng",
        "en": "one percentage point",
    },
    "step_unit": {"nb": "én enhet", "nn": "éi eining", "en": "one unit"},
    "rule_R1": {
        "nb": "Budsjettbalanse (R1)",
        "nn": "Budsjettbalanse (R1)",
        "en": "Budget conservation (R1)",
    },
    "rule_R2": {
        "nb": "Fordelingsnøkkel på lærerårsverk (R2)",
        "nn": "Fordelingsnøkkel på lærarårsverk (R2)",
        "en": "Pro-rata key on teacher FTEs (R2)",
    },
    "rule_R3": {
        "nb": "Minsteandel til UH-partnere (R3)",
        "nn": "Minstedel til UH-partnarar (R3)",
        "en": "Minimum share to UH partners (R3)",
    },
    "rule_R4": {"nb": "Egenandel (R4)", "nn": "Eigendel (R4)", "en": "Owner co-financing (R4)"},
    "rule_R5": {
        "nb": "Øremerking til spesialpedagogikk og inkluderende praksis (R5)",
        "nn": "Øyremerking til spesialpedagogikk og inkluderande praksis (R5)",
        "en": "Earmark for special education and inclusive practice (R5)",
    },
    "rule_R6": {
        "nb": "Avsetning før fordeling (R6)",
        "nn": "Avsetjing før fordeling (R6)",
        "en": "Set-aside before distribution (R6)",
    },
    "rule_R7": {
        "nb": "Fordeling mellom barnehage og skole (R7)",
        "nn": "Fordeling mellom barnehage og skule (R7)",
        "en": "Kindergarten/school split (R7)",
    },
    "rule_R8": {
        "nb": "Eiere som ikke deltar, får ingenting (R8)",
        "nn": "Eigarar som ikkje deltek, får ingenting (R8)",
        "en": "Non-participating owners get nothing (R8)",
    },
    "rule_R9": {
        "nb": "Partnerskap med UH og partnerens kapasitet (R9)",
        "nn": "Partnarskap med UH og kapasiteten til partnaren (R9)",
        "en": "Partnership with UH and partner capacity (R9)",
    },
    "rule_R10": {
        "nb": "Forutsigbarhet (R10)",
        "nn": "Føreseielegheit (R10)",
        "en": "Predictability (R10)",
    },
    "rule_R11": {"nb": "Behovsbasert (R11)", "nn": "Behovsbasert (R11)", "en": "Needs-based (R11)"},
    "rule_R12": {
        "nb": "Regional nøkkel med vekter (R12)",
        "nn": "Regional nøkkel med vekter (R12)",
        "en": "Weighted regional key (R12)",
    },
    "rule_R13": {
        "nb": "Private eiere på like vilkår (R13)",
        "nn": "Private eigarar på like vilkår (R13)",
        "en": "Private owners on equal terms (R13)",
    },
    "rules_intro": {
        "nb": "{met} av {total} regelkrav er oppfylt; {binding} er bindende.",
        "nn": "{met} av {total} regelkrav er oppfylte; {binding} er bindande.",
        "en": "{met} of {total} rule constraints are met; {binding} bind.",
    },
    # alternatives
    "alternatives_intro": {
        "nb": "Fordelinger som er nesten like gode som forslaget, beløp per region. De viser "
        "hvor mye forslaget kunne variert uten å bli merkbart dårligere.",
        "nn": "Fordelingar som er nesten like gode som forslaget, beløp per region. Dei viser "
        "kor mykje forslaget kunne variert utan å bli merkbart dårlegare.",
        "en": "Allocations almost as good as the proposal, amount per region. They show how much "
        "the proposal could vary without becoming noticeably worse.",
    },
    # caveats
    "caveat_imputed": {
        "nb": "Lærerårsverk er anslått for {names}.",
        "nn": "Lærarårsverk er anslått for {names}.",
        "en": "Teacher FTEs are imputed for {names}.",
    },
    "caveat_region_illustrative": {
        "nb": "Tallene for {names} er illustrerende.",
        "nn": "Tala for {names} er illustrerande.",
        "en": "The figures for {names} are illustrative.",
    },
    "no_caveats": {
        "nb": "Ingen forbehold er registrert.",
        "nn": "Ingen atterhald er registrerte.",
        "en": "No caveats are recorded.",
    },
    # figures
    "fig_map": {
        "nb": "Regionene, partnernes studiesteder og partnerskapene.",
        "nn": "Regionane, studiestadene til partnarane og partnarskapa.",
        "en": "Regions, partner campuses and partnerships.",
    },
    "fig_map_missing": {
        "nb": "Kart er ikke tegnet: ingen geografi ble gitt.",
        "nn": "Kart er ikkje teikna: ingen geografi vart gitt.",
        "en": "No map drawn: no geography was given.",
    },
    "fig_per_fte": {
        "nb": "Kroner per lærerårsverk, per region og per skoleeier.",
        "nn": "Kroner per lærarårsverk, per region og per skuleeigar.",
        "en": "Kroner per teacher FTE, by region and by owner.",
    },
    "fig_split": {
        "nb": "Fordeling mellom skoleeiere og partnere i hver region.",
        "nn": "Fordeling mellom skuleeigarar og partnarar i kvar region.",
        "en": "Split between owners and partners in each region.",
    },
    "legend_partner": {
        "nb": "Partner (studiested)",
        "nn": "Partnar (studiestad)",
        "en": "Partner (campus)",
    },
    "legend_no_region": {"nb": "Ingen region", "nn": "Ingen region", "en": "No region"},
    "axis_nok_per_fte": {"nb": "kr per årsverk", "nn": "kr per årsverk", "en": "NOK per FTE"},
    "axis_amount": {"nb": "kr", "nn": "kr", "en": "NOK"},
    # provenance
    "prov_scenario_file": {"nb": "Scenariofil", "nn": "Scenariofil", "en": "Scenario file"},
    "prov_scenario_sha256": {
        "nb": "Sjekksum for scenariofil (SHA-256)",
        "nn": "Sjekksum for scenariofil (SHA-256)",
        "en": "Scenario file checksum (SHA-256)",
    },
    "prov_data_versions": {"nb": "Dataversjoner", "nn": "Dataversjonar", "en": "Data versions"},
    "prov_seed": {
        "nb": "Frø for tilfeldige tall",
        "nn": "Frø for tilfeldige tal",
        "en": "Random seed",
    },
    "prov_solver": {"nb": "Løser", "nn": "Løysar", "en": "Solver"},
    "prov_solver_version": {"nb": "Løserversjon", "nn": "Løysarversjon", "en": "Solver version"},
    "prov_package_version": {
        "nb": "Versjon av dekomopt",
        "nn": "Versjon av dekomopt",
        "en": "dekomopt version",
    },
    "prov_time": {"nb": "Beregnet", "nn": "Rekna ut", "en": "Computed"},
    "prov_report_version": {
        "nb": "Rapport laget med dekomopt",
        "nn": "Rapport laga med dekomopt",
        "en": "Report made with dekomopt",
    },
    "prov_scenario_name": {"nb": "Scenario", "nn": "Scenario", "en": "Scenario"},
    "prov_regime": {"nb": "Ordning", "nn": "Ordning", "en": "Regime"},
    "prov_year": {"nb": "År", "nn": "År", "en": "Year"},
    "prov_caveat": {"nb": "Forbehold", "nn": "Atterhald", "en": "Caveat"},
}

PROVENANCE_LABELS: dict[str, str] = {
    "scenario_file": "prov_scenario_file",
    "scenario_sha256": "prov_scenario_sha256",
    "data_versions": "prov_data_versions",
    "seed": "prov_seed",
    "solver": "prov_solver",
    "solver_version": "prov_solver_version",
    "package_version": "prov_package_version",
    "time": "prov_time",
    "created": "prov_time",
    "timestamp": "prov_time",
}
"""Provenance keys with a translated label; other keys are shown as they are."""


def check_language(lang: str) -> str:
    """``lang`` itself if it is one of :data:`LANGUAGES`; otherwise a :class:`DekomoptError`."""
    if lang not in LANGUAGES:
        raise DekomoptError(
            f"unknown report language {lang!r}; choose one of {', '.join(LANGUAGES)}"
        )
    return lang


def text(message_id: str, lang: str, **fields: object) -> str:
    """Message ``message_id`` in ``lang`` with ``fields`` filled in; ``KeyError`` if unknown."""
    return MESSAGES[message_id][lang].format(**fields)


def has_message(message_id: str) -> bool:
    """Whether the catalogue holds ``message_id``."""
    return message_id in MESSAGES
