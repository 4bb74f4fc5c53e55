"""Every label and sentence of the forum report, in bokmål, nynorsk and English, from one table.

Messages are ``str.format`` templates; all three languages of a message take the same fields.
The data layer's notes (:data:`dekomopt.notes.NOTE_MESSAGES`) are part of the table; a note
is shown by :meth:`dekomopt.notes.Note.in_language`.
"""

from __future__ import annotations

from collections.abc import Iterable

from dekomopt.errors import DekomoptError
from dekomopt.notes import NOTE_MESSAGES

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
        "nb": "Til samarbeidsforum. Beregning: «{scenario}». Ordning: {regime}.",
        "nn": "Til samarbeidsforum. Utrekning: «{scenario}». Ordning: {regime}.",
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
    "sheet_summary": {"nb": "Sammendrag", "nn": "Samandrag", "en": "Summary"},
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
    "col_previous": {"nb": "I fjor", "nn": "I fjor", "en": "Last year"},
    "col_previous_own": {
        "nb": "Eget beløp i fjor",
        "nn": "Eige beløp i fjor",
        "en": "Own amount last year",
    },
    "col_change_own": {
        "nb": "Endring i eget beløp fra i fjor",
        "nn": "Endring i eige beløp frå i fjor",
        "en": "Change in own amount from last year",
    },
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
    "col_met": {"nb": "Oppfylt", "nn": "Oppfylt", "en": "Met"},
    "col_binding": {"nb": "Bindende", "nn": "Bindande", "en": "Binding"},
    "col_slack": {"nb": "Slakk", "nn": "Slakk", "en": "Slack"},
    "col_shadow_price": {"nb": "Skyggepris", "nn": "Skuggepris", "en": "Shadow price"},
    "col_explanation": {"nb": "Forklaring", "nn": "Forklaring", "en": "Explanation"},
    "col_key": {"nb": "Felt", "nn": "Felt", "en": "Field"},
    "col_proposal": {"nb": "Forslaget", "nn": "Forslaget", "en": "Proposal"},
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
    # The scheme's partners, as every label of the money to partners (R3, R9) names them.
    "partners_uh": {"nb": "UH-partnere", "nn": "UH-partnarar", "en": "UH partners"},
    "partners_all": {
        "nb": "samarbeidspartnere (UH, fagskoler m.fl.)",
        "nn": "samarbeidspartnarar (UH, fagskular m.fl.)",
        "en": "partners (UH, fagskole and others)",
    },
    "partners_uh_short": {"nb": "UH", "nn": "UH", "en": "UH"},
    "partners_all_short": {"nb": "partnere", "nn": "partnarar", "en": "partners"},
    "row_partners_total": {
        "nb": "Fordelt til {partners}",
        "nn": "Fordelt til {partners}",
        "en": "Distributed to {partners}",
    },
    "row_distributed": {"nb": "Fordelt i alt", "nn": "Fordelt i alt", "en": "Distributed in total"},
    "row_difference": {
        "nb": "Avvik fra beløpet til fordeling",
        "nn": "Avvik frå beløpet til fordeling",
        "en": "Difference from the amount to distribute",
    },
    "row_partner_share": {
        "nb": "Andel til {partners}",
        "nn": "Del til {partners}",
        "en": "Share to {partners}",
    },
    "row_special_ed_share": {
        "nb": "Andel til spesialpedagogikk og inkluderende praksis",
        "nn": "Del til spesialpedagogikk og inkluderande praksis",
        "en": "Share to special education and inclusive practice",
    },
    "row_sector": {"nb": "Sektor: {sector}", "nn": "Sektor: {sector}", "en": "Sector: {sector}"},
    "bound_min": {"nb": "minst {bound}", "nn": "minst {bound}", "en": "at least {bound}"},
    "bound_max": {"nb": "høyst {bound}", "nn": "høgst {bound}", "en": "at most {bound}"},
    "bound_eq": {"nb": "lik {bound}", "nn": "lik {bound}", "en": "equal to {bound}"},
    "bound_between": {
        "nb": "mellom {lo} og {hi}",
        "nn": "mellom {lo} og {hi}",
        "en": "between {lo} and {hi}",
    },
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
        "nb": "Å løsne kravet med {step} ville endre målfunksjonen med {effect} "
        "(skyggepris {shadow_price}).",
        "nn": "Å løysa opp kravet med {step} ville endra målfunksjonen med {effect} "
        "(skuggepris {shadow_price}).",
        "en": "Relaxing the requirement by {step} would change the objective by {effect} "
        "(shadow price {shadow_price}).",
    },
    "rule_relax_sentence": {
        "nb": "Å løsne kravet med {step} ville senke målfunksjonen (kroner unna "
        "fordelingsnøkkelen, med reise-, behovs- og likevektsledd) med {change}, {per_fte} per "
        "lærerårsverk.",
        "nn": "Å løysa opp kravet med {step} ville senka målfunksjonen (kroner unna "
        "fordelingsnøkkelen, med reise-, behovs- og likevektsledd) med {change}, {per_fte} per "
        "lærarårsverk.",
        "en": "Relaxing the requirement by {step} would lower the objective (kroner off the key, "
        "plus travel, need and tie-break terms) by {change}, {per_fte} per teacher FTE.",
    },
    "rule_binds": {
        "nb": "Regelen er bindende: fordelingen ligger på kravet.",
        "nn": "Regelen er bindande: fordelinga ligg på kravet.",
        "en": "The rule binds: the allocation sits on its requirement.",
    },
    "rule_binds_before_rounding": {
        "nb": "Regelen er bindende: før avrunding til {units} ligger fordelingen på kravet; "
        "avrundet er den {slack} unna.",
        "nn": "Regelen er bindande: før avrunding til {units} ligg fordelinga på kravet; "
        "avrunda er ho {slack} unna.",
        "en": "The rule binds: before rounding to {units}, the allocation sits on its "
        "requirement; rounded, it is {slack} from it.",
    },
    "units_kroner": {"nb": "hele kroner", "nn": "heile kroner", "en": "whole kroner"},
    "units_of": {
        "nb": "hele enheter på {unit}",
        "nn": "heile einingar på {unit}",
        "en": "whole units of {unit}",
    },
    "rule_key_unit": {
        "nb": "Hele enheter på {unit} kommer ikke nærmere nøkkelbeløpet enn toleransen tillater, "
        "så kravet tillater {widened} (én enhet minus én krone) fra det.",
        "nn": "Heile einingar på {unit} kjem ikkje nærare nøkkelbeløpet enn toleransen tillèt, "
        "så kravet tillèt {widened} (éi eining minus éi krone) frå det.",
        "en": "Whole units of {unit} cannot come as close to the key amount as the tolerance "
        "asks, so the requirement allows {widened} (one unit less a krone) from it.",
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
        "nb": "Minsteandelen til {partners} er {share} av beløpet til fordeling.",
        "nn": "Minstedelen til {partners} er {share} av beløpet til fordeling.",
        "en": "The minimum share to {partners} is {share} of the amount distributed.",
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
    "col_subject": {"nb": "Gjelder", "nn": "Gjeld", "en": "Applies to"},
    "col_requirement": {"nb": "Krav", "nn": "Krav", "en": "Requirement"},
    "col_result": {"nb": "Resultat", "nn": "Resultat", "en": "Result"},
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
    "rule_R2_sectors": {
        "nb": "Fordelingsnøkkel per sektor: årsverk i barnehagene og lærerårsverk (R2)",
        "nn": "Fordelingsnøkkel per sektor: årsverk i barnehagane og lærarårsverk (R2)",
        "en": "Pro-rata key per sector: kindergarten staff and teacher FTEs (R2)",
    },
    "key_sector_kindergarten": {
        "nb": "barnehage, etter årsverk i barnehagene",
        "nn": "barnehage, etter årsverk i barnehagane",
        "en": "kindergarten, by kindergarten staff",
    },
    "key_sector_school": {
        "nb": "skole, etter lærerårsverk",
        "nn": "skule, etter lærarårsverk",
        "en": "school, by teacher FTEs",
    },
    "rule_R3": {
        "nb": "Minsteandel til {partners} (R3)",
        "nn": "Minstedel til {partners} (R3)",
        "en": "Minimum share to {partners} (R3)",
    },
    "rule_R4": {"nb": "Egenandel (R4)", "nn": "Eigendel (R4)", "en": "Owner co-financing (R4)"},
    "rule_R5": {
        "nb": "Øremerking til spesialpedagogikk og inkluderende praksis (R5)",
        "nn": "Øyremerking til spesialpedagogikk og inkluderande praksis (R5)",
        "en": "Earmark for special education and inclusive practice (R5)",
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
        "nb": "Partnerskap med {partners} og partnerens kapasitet (R9)",
        "nn": "Partnarskap med {partners} og kapasiteten til partnaren (R9)",
        "en": "Partnership with {partners} and partner capacity (R9)",
    },
    "rule_R10": {
        "nb": "Forutsigbarhet (R10)",
        "nn": "Føreseielegheit (R10)",
        "en": "Predictability (R10)",
    },
    "rule_R11": {"nb": "Behovsbasert (R11)", "nn": "Behovsbasert (R11)", "en": "Needs-based (R11)"},
    "rule_R1_asks": {
        "nb": "Hele beløpet til fordeling fordeles, til kronen.",
        "nn": "Heile beløpet til fordeling vert fordelt, til krona.",
        "en": "The whole amount to distribute is distributed, to the krone.",
    },
    "rule_R2_asks": {
        "nb": (
            "Hver region får sin andel etter fordelingsnøkkelen, innenfor toleransen; med "
            "årsverk i barnehagene gitt gjelder det hver sektor for seg, etter sektorens årsverk."
        ),
        "nn": (
            "Kvar region får sin del etter fordelingsnøkkelen, innanfor toleransen; med "
            "årsverk i barnehagane gitt gjeld det kvar sektor for seg, etter årsverka i sektoren."
        ),
        "en": (
            "Each region receives its key share, within the tolerance; with kindergarten "
            "staff given, of each sector by that sector's FTEs."
        ),
    },
    "rule_R3_asks": {
        "nb": "Minst en fast andel av beløpet går til {partners}.",
        "nn": "Minst ein fast del av beløpet går til {partners}.",
        "en": "At least a fixed share of the amount goes to {partners}.",
    },
    "rule_R4_asks": {
        "nb": "Ingen skoleeier får mer enn den kan betale egenandel for.",
        "nn": "Ingen skuleeigar får meir enn han kan betala eigendel for.",
        "en": "No owner receives more than it can pay its co-financing share for.",
    },
    "rule_R5_asks": {
        "nb": "Minst en fast andel av beløpet går til spesialpedagogikk og inkludering.",
        "nn": "Minst ein fast del av beløpet går til spesialpedagogikk og inkludering.",
        "en": "At least a fixed share of the amount goes to special education and inclusion.",
    },
    "rule_R7_asks": {
        "nb": "En fast andel av beløpet går til barnehagesektoren.",
        "nn": "Ein fast del av beløpet går til barnehagesektoren.",
        "en": "A fixed share of the amount goes to the kindergarten sector.",
    },
    "rule_R8_asks": {
        "nb": "Skoleeiere som ikke deltar, får ingenting.",
        "nn": "Skuleeigarar som ikkje deltek, får ingenting.",
        "en": "Owners who do not take part receive nothing.",
    },
    "rule_R9_asks": {
        "nb": "Ingen partner får mer enn kapasiteten sin.",
        "nn": "Ingen partnar får meir enn kapasiteten sin.",
        "en": "No partner receives more than its capacity.",
    },
    "rule_R10_asks": {
        "nb": "Hver regions beløp endres ikke mer enn en fast andel fra i fjor.",
        "nn": "Kvar regions beløp vert ikkje endra meir enn ein fast del frå i fjor.",
        "en": "No region's amount changes by more than a fixed share from last year.",
    },
    "rule_R11_asks": {
        "nb": "Ingen region får mer til et tema enn skoleeierne har meldt behov for.",
        "nn": "Ingen region får meir til eit tema enn skuleeigarane har meldt behov for.",
        "en": "No region receives more for a theme than its owners reported needing.",
    },
    "rules_intro": {
        "nb": "{met} av {total} regelkrav er oppfylt; {binding} er bindende.",
        "nn": "{met} av {total} regelkrav er oppfylte; {binding} er bindande.",
        "en": "{met} of {total} rule constraints are met; {binding} bind.",
    },
    # alternatives
    "alternatives_intro": {
        "nb": "Fordelinger som er nesten like gode som forslaget. De viser hvor mye forslaget "
        "kunne variert uten å bli merkbart dårligere: hva som flyttes mellom skoleeiere og "
        "partnere i hver region, og hvilke mottakere som får et annet beløp.",
        "nn": "Fordelingar som er nesten like gode som forslaget. Dei viser kor mykje forslaget "
        "kunne variert utan å bli merkbart dårlegare: kva som blir flytt mellom skuleeigarar og "
        "partnarar i kvar region, og kva mottakarar som får eit anna beløp.",
        "en": "Allocations almost as good as the proposal. They show how much the proposal could "
        "vary without becoming noticeably worse: what moves between owners and partners in "
        "each region, and which recipients get a different amount.",
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
    "fig_map_campuses": {
        "nb": "Regionene og partnernes studiesteder.",
        "nn": "Regionane og studiestadene til partnarane.",
        "en": "Regions and partner campuses.",
    },
    "fig_map_regions": {
        "nb": "Regionene. Ingen partner har et kjent sted, så studiesteder og partnerskap "
        "vises ikke.",
        "nn": "Regionane. Ingen partnar har ein kjend stad, så studiestader og partnarskap "
        "er ikkje viste.",
        "en": "Regions. No partner has a known place, so no campus or partnership is shown.",
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
    "prov_input_file": {
        "nb": "Inndatafil ({key})",
        "nn": "Inndatafil ({key})",
        "en": "Input file ({key})",
    },
    "prov_input_file_value": {
        "nb": "{path} ({format}, {dialect}; {rows} rader; SHA-256 {sha256})",
        "nn": "{path} ({format}, {dialect}; {rows} rader; SHA-256 {sha256})",
        "en": "{path} ({format}, {dialect}; {rows} rows; SHA-256 {sha256})",
    },
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
    "prov_scenario_name": {"nb": "Beregning", "nn": "Utrekning", "en": "Scenario"},
    "prov_regime": {"nb": "Ordning", "nn": "Ordning", "en": "Regime"},
    "prov_year": {"nb": "År", "nn": "År", "en": "Year"},
    "prov_caveat": {"nb": "Forbehold", "nn": "Atterhald", "en": "Caveat"},
    # regimes and named owners
    "regime_dekom": {
        "nb": "DEKOM (desentralisert kompetanseutvikling)",
        "nn": "DEKOM (desentralisert kompetanseutvikling)",
        "en": "DEKOM (decentralised competence development)",
    },
    "regime_kollektiv-2026": {
        "nb": "kollektiv kompetanseutvikling (fra 2026)",
        "nn": "kollektiv kompetanseutvikling (frå 2026)",
        "en": "collective competence development (from 2026)",
    },
    "private_network_name": {
        "nb": "Friskolene i {county}",
        "nn": "Friskulane i {county}",
        "en": "Private schools in {county}",
    },
    "no_cap": {"nb": "ingen grense", "nn": "inga grense", "en": "no cap"},
    "col_nok_per_fte_total": {
        "nb": "Kroner per årsverk i alt",
        "nn": "Kroner per årsverk i alt",
        "en": "NOK per FTE in total",
    },
    "nok_per_fte_note": {
        "nb": "Kroner per årsverk er alt som går til regionen eller skoleeieren, medregnet "
        "partnernes del (fordelt på eierne etter lærerårsverk i hele kroner med største "
        "rest-metoden), delt på lærerårsverkene.",
        "nn": "Kroner per årsverk er alt som går til regionen eller skuleeigaren, medrekna "
        "delen til partnarane (fordelt på eigarane etter lærarårsverk i heile kroner med "
        "største rest-metoden), delt på lærarårsverka.",
        "en": "NOK per FTE is everything that goes to the region or owner, including the "
        "partners' share (split over the owners by teacher FTE in whole kroner, largest "
        "remainder), divided by the teacher FTEs.",
    },
    "col_partner_part_nok": {
        "nb": "Partnernes del",
        "nn": "Delen til partnarane",
        "en": "Partners' share",
    },
    # the data layer's notes: NOTE_MESSAGES, added below
    "imputed_methods_intro": {
        "nb": "Slik er lærerårsverkene anslått:",
        "nn": "Slik er lærarårsverka anslåtte:",
        "en": "How the teacher FTEs were imputed:",
    },
    # provenance
    "prov_rounding": {"nb": "Avrunding", "nn": "Avrunding", "en": "Rounding"},
    "prov_runtime": {
        "nb": "Versjon av kjøremiljøet",
        "nn": "Versjon av køyremiljøet",
        "en": "Python version",
    },
    "rounding_largest_remainder": {
        "nb": "største rest (hele kroner)",
        "nn": "største rest (heile kroner)",
        "en": "largest remainder (whole kroner)",
    },
    "prov_data_version": {
        "nb": "Dataversjon: {file}",
        "nn": "Dataversjon: {file}",
        "en": "Data version: {file}",
    },
    "col_amount_with_partners": {
        "nb": "I alt med partnernes del",
        "nn": "I alt med delen til partnarane",
        "en": "Total incl. partners' share",
    },
    "owners_change_unknown": {
        "nb": "Endring fra i fjor per skoleeier krever fjorårets fordeling per mottaker "
        "(allocation.csv); med bare regionbeløp vises endringen per region.",
        "nn": "Endring frå i fjor per skuleeigar krev fordelinga i fjor per mottakar "
        "(allocation.csv); med berre regionbeløp vert endringa vist per region.",
        "en": "Change from last year per owner needs last year's allocation per recipient "
        "(allocation.csv); with region amounts only, the change is shown per region.",
    },
    "page": {"nb": "Side", "nn": "Side", "en": "Page"},
    "page_of": {"nb": "av", "nn": "av", "en": "of"},
    # what-if explorer
    "sec_explorer": {"nb": "Hva om?", "nn": "Kva om?", "en": "What if?"},
    "whatif_intro": {
        "nb": "Velg en annen verdi for en av hovedreglene for å se hele forslaget slik det da "
        "blir: hvert valg er en egen beregning der alle reglene er oppfylt. Tabellene nedenfor "
        "gjelder valget; resten av rapporten gjelder forslaget.",
        "nn": "Vel ein annan verdi for ein av hovudreglane for å sjå heile forslaget slik det då "
        "blir: kvart val er ei eiga utrekning der alle reglane er oppfylte. Tabellane nedanfor "
        "gjeld valet; resten av rapporten gjeld forslaget.",
        "en": "Pick another value of one of the main rules to see the whole proposal as it then "
        "becomes: each choice is a separate solve with every rule met. The tables below follow "
        "the choice; the rest of the report is the proposal.",
    },
    "whatif_values": {
        "nb": "Verdiene som er beregnet: {values}.",
        "nn": "Verdiane som er rekna ut: {values}.",
        "en": "The values solved: {values}.",
    },
    "whatif_lever_values": {
        "nb": "{lever} {values}",
        "nn": "{lever} {values}",
        "en": "{lever} {values}",
    },
    "whatif_choose": {"nb": "Regel og verdi:", "nn": "Regel og verdi:", "en": "Rule and value:"},
    "whatif_option": {"nb": "{lever}: {value}", "nn": "{lever}: {value}", "en": "{lever}: {value}"},
    "whatif_scenario_value": {
        "nb": "forslaget",
        "nn": "forslaget",
        "en": "the proposal",
    },
    "whatif_option_infeasible": {"nb": "umulig", "nn": "umogleg", "en": "infeasible"},
    "whatif_infeasible": {
        "nb": "Med denne verdien kan ikke alle reglene oppfylles samtidig. Reglene som "
        "kolliderer: {rules}.",
        "nn": "Med denne verdien kan ikkje alle reglane oppfyllast samtidig. Reglane som "
        "kolliderer: {rules}.",
        "en": "With this value the rules cannot all hold. The rules that conflict: {rules}.",
    },
    "whatif_summary": {
        "nb": "Til skoleeiere {owners}, til partnere {partners}, i alt {total}. Andel til {group} "
        "{uh}, til spesialpedagogikk {special}.",
        "nn": "Til skuleeigarar {owners}, til partnarar {partners}, i alt {total}. Del til {group} "
        "{uh}, til spesialpedagogikk {special}.",
        "en": "To owners {owners}, to partners {partners}, in total {total}. Share to {group} "
        "{uh}, to special education {special}.",
    },
    "whatif_all_met": {
        "nb": "Alle reglene er oppfylt.",
        "nn": "Alle reglane er oppfylte.",
        "en": "Every rule is met.",
    },
    "whatif_not_all_met": {
        "nb": "Ikke alle reglene er oppfylt.",
        "nn": "Ikkje alle reglane er oppfylte.",
        "en": "Not every rule is met.",
    },
    "lever_uh_share_min": {
        "nb": "Minsteandel til {partners}",
        "nn": "Minstedel til {partners}",
        "en": "Minimum share to {partners}",
    },
    "lever_special_ed_share_min": {
        "nb": "Andel til spesialpedagogikk",
        "nn": "Del til spesialpedagogikk",
        "en": "Special-education share",
    },
    "lever_kindergarten_share": {
        "nb": "Andel til barnehage",
        "nn": "Del til barnehage",
        "en": "Kindergarten share",
    },
    "sheet_allocation": {"nb": "Tildeling", "nn": "Tildeling", "en": "Allocation"},
    "sheet_alternative": {
        "nb": "Alternativ {n}",
        "nn": "Alternativ {n}",
        "en": "Alternative {n}",
    },
    "col_recipient_type": {"nb": "Mottakertype", "nn": "Mottakartype", "en": "Recipient type"},
    "col_recipient_id": {"nb": "Nummer", "nn": "Nummer", "en": "Number"},
    "col_recipient": {"nb": "Mottaker", "nn": "Mottakar", "en": "Recipient"},
    "col_theme": {"nb": "Tema", "nn": "Tema", "en": "Theme"},
    "col_sector": {"nb": "Sektor", "nn": "Sektor", "en": "Sector"},
    "recipient_owner": {"nb": "skoleeier", "nn": "skuleeigar", "en": "owner"},
    "recipient_partner": {"nb": "partner", "nn": "partnar", "en": "partner"},
    "fig_per_fte_same": {
        "nb": "Alle skoleeiere i en region får like mange kroner per årsverk, så figuren viser "
        "regionene.",
        "nn": "Alle skuleeigarar i ein region får like mange kroner per årsverk, så figuren viser "
        "regionane.",
        "en": "Every owner in a region gets the same kroner per FTE, so the figure shows the "
        "regions.",
    },
    # figures of `simulate`
    "sim_gross": {"nb": "brutto", "nn": "brutto", "en": "gross"},
    "sim_net": {
        "nb": "netto etter reise og koordinering",
        "nn": "netto etter reise og koordinering",
        "en": "net of travel and coordination",
    },
    "sim_net_travel": {
        "nb": "netto etter reise (koordineringskostnad 0)",
        "nn": "netto etter reise (koordineringskostnad 0)",
        "en": "net of travel (coordination cost 0)",
    },
    "sim_net_coordination": {
        "nb": "netto etter koordinering (reisekostnad 0)",
        "nn": "netto etter koordinering (reisekostnad 0)",
        "en": "net of coordination (travel cost 0)",
    },
    "sim_gross_is_net": {
        "nb": "brutto = netto: ingen reise- eller koordineringskostnad å trekke fra",
        "nn": "brutto = netto: ingen reise- eller koordineringskostnad å trekkje frå",
        "en": "gross = net: no travel or coordination cost to take off",
    },
    "sim_owner_counted": {
        "nb": "{label}, {n} av {draws} trekninger",
        "nn": "{label}, {n} av {draws} trekningar",
        "en": "{label}, {n} of {draws} draws",
    },
    "sim_funding_axis": {
        "nb": "kroner per lærerårsverk (gjennomsnitt og 95 %-intervall over de løsbare "
        "trekningene der eieren deltar)",
        "nn": "kroner per lærarårsverk (gjennomsnitt og 95 %-intervall over dei løysbare "
        "trekningane der eigaren er med)",
        "en": "kroner per teacher FTE (mean and 95 % interval over the feasible draws in which "
        "the owner takes part)",
    },
    "sim_funding_title": {
        "nb": "Midler per lærerårsverk per skoleeier",
        "nn": "Midlar per lærarårsverk per skuleeigar",
        "en": "Funding per teacher FTE by owner",
    },
    "sim_between": {"nb": "mellom regioner", "nn": "mellom regionar", "en": "between regions"},
    "sim_within": {"nb": "innen regioner", "nn": "innanfor regionar", "en": "within regions"},
    "sim_theil_title": {
        "nb": "Theils T for nettomidler per årsverk",
        "nn": "Theils T for nettomidlar per årsverk",
        "en": "Theil T of net funding per FTE",
    },
    "sim_theil_shares": {
        "nb": "søylene: snitt over trekningene; mellom-delen er {bars} av summen av snittene, "
        "mens snittet av hver trekning sin mellom-andel er {share}",
        "nn": "søylene: snitt over trekningane; mellom-delen er {bars} av summen av snitta, "
        "medan snittet av mellom-delen i kvar trekning er {share}",
        "en": "bars: means over draws; the between part is {bars} of the sum of the means, "
        "while the mean of each draw's between-region share is {share}",
    },
    "sim_theil_axis": {
        "nb": "Theils T (gjennomsnitt og 95 %-intervall)",
        "nn": "Theils T (gjennomsnitt og 95 %-intervall)",
        "en": "Theil T (mean and 95 % interval)",
    },
    "sim_power_label": {
        "nb": "Banzhaf-makt i egen region",
        "nn": "Banzhaf-makt i eigen region",
        "en": "Banzhaf power in own region",
    },
    "sim_power_axis": {
        "nb": "normalisert Banzhaf-indeks i regionens årsverksavstemning (gjennomsnitt og "
        "95 %-intervall over de løsbare trekningene der eieren deltar)",
        "nn": "normalisert Banzhaf-indeks i årsverksrøystinga i regionen (gjennomsnitt og "
        "95 %-intervall over dei løysbare trekningane der eigaren er med)",
        "en": "normalised Banzhaf index in the region's FTE vote (mean and 95 % interval over "
        "the feasible draws in which the owner takes part)",
    },
    "sim_power_title": {
        "nb": "Stemmemakt per skoleeier",
        "nn": "Røystemakt per skuleeigar",
        "en": "Voting power per owner",
    },
    # a run of `simulate`, `sensitivity` or `structures` stopped (Ctrl-C, SIGTERM)
    "cli_interrupted_kept": {
        "nb": "avbrutt: dekomopt {command} stoppet før filene ble skrevet; {folder} har filene "
        "fra forrige kjøring slik de var ({record} beskriver dem)",
        "nn": "avbroten: dekomopt {command} stoppa før filene vart skrivne; {folder} har filene "
        "frå førre køyring slik dei var ({record} skildrar dei)",
        "en": "interrupted: dekomopt {command} stopped before writing its files; {folder} holds "
        "the earlier run's files as they were ({record} describes them)",
    },
    "cli_interrupted_nothing": {
        "nb": "avbrutt: dekomopt {command} stoppet før filene ble skrevet; ingenting skrevet "
        "til {folder}",
        "nn": "avbroten: dekomopt {command} stoppa før filene vart skrivne; ingenting skrive "
        "til {folder}",
        "en": "interrupted: dekomopt {command} stopped before writing its files; nothing "
        "written to {folder}",
    },
    # why draws of `simulate` or runs of `sensitivity` have no allocation
    "cli_conflict_many_draws": {
        "nb": "reglene {rules} kan ikke gjelde samtidig: {names} (første slike trekning: "
        "{first}; beløpene: kolonnen reason i draws.parquet)",
        "nn": "reglane {rules} kan ikkje gjelde samtidig: {names} (første slike trekning: "
        "{first}; beløpa: kolonnen reason i draws.parquet)",
        "en": "rules {rules} cannot all hold: {names} (first such draw: {first}; the amounts: "
        "column reason of draws.parquet)",
    },
    "cli_conflict_one_draws": {
        "nb": "regelen {rules} kan ikke gjelde når hele budsjettet går til eierne som deltar og "
        "partnerne deres: {names} (første slike trekning: {first}; beløpene: kolonnen reason i "
        "draws.parquet)",
        "nn": "regelen {rules} kan ikkje gjelde når heile budsjettet går til eigarane som er med "
        "og partnarane deira: {names} (første slike trekning: {first}; beløpa: kolonnen reason "
        "i draws.parquet)",
        "en": "rule {rules} cannot hold while the whole budget goes to the participating owners "
        "and their partners: {names} (first such draw: {first}; the amounts: column reason of "
        "draws.parquet)",
    },
    "cli_conflict_many_runs": {
        "nb": "reglene {rules} kan ikke gjelde samtidig: {names} (første slike kjøring: "
        "{first}; beløpene: failures i sensitivity.json)",
        "nn": "reglane {rules} kan ikkje gjelde samtidig: {names} (første slike køyring: "
        "{first}; beløpa: failures i sensitivity.json)",
        "en": "rules {rules} cannot all hold: {names} (first such run: {first}; the amounts: "
        "failures of sensitivity.json)",
    },
    "cli_conflict_one_runs": {
        "nb": "regelen {rules} kan ikke gjelde når hele budsjettet går til eierne som deltar og "
        "partnerne deres: {names} (første slike kjøring: {first}; beløpene: failures i "
        "sensitivity.json)",
        "nn": "regelen {rules} kan ikkje gjelde når heile budsjettet går til eigarane som er med "
        "og partnarane deira: {names} (første slike køyring: {first}; beløpa: failures i "
        "sensitivity.json)",
        "en": "rule {rules} cannot hold while the whole budget goes to the participating owners "
        "and their partners: {names} (first such run: {first}; the amounts: failures of "
        "sensitivity.json)",
    },
    # printed summary of `simulate` (the metric names are summary.csv's own)
    "cli_sim_scenario": {
        "nb": "scenario   {name} ({file}, frø {seed}): {draws} trekninger",
        "nn": "scenario   {name} ({file}, frø {seed}): {draws} trekningar",
        "en": "scenario   {name} ({file}, seed {seed}): {draws} draws",
    },
    "cli_sim_status": {
        "nb": "status     {optimal} optimale, {infeasible} uløselige",
        "nn": "status     {optimal} optimale, {infeasible} uløyselege",
        "en": "status     {optimal} optimal, {infeasible} infeasible",
    },
    # the stop rule of `simulate` (target_se): targets and the largest standard error
    "cli_sim_stopped_targets": {
        "nb": " (stoppet: MC-SE under målet for alle {metrics} mål med et mål-SE: {targets})",
        "nn": " (stoppa: MC-SE under målet for alle {metrics} mål med eit mål-SE: {targets})",
        "en": " (stopped: MC SE below target for all {metrics} metrics with a target: {targets})",
    },
    "cli_sim_target_not_reached": {
        "nb": "mål-SE     ikke nådd etter {draws} løsbare trekninger: {above} av {metrics} mål "
        "over målet ({targets}); størst {metric}: {se} mot {target}",
        "nn": "mål-SE     ikkje nådd etter {draws} løysbare trekningar: {above} av {metrics} mål "
        "over målet ({targets}); størst {metric}: {se} mot {target}",
        "en": "target SE  not reached after {draws} feasible draws: {above} of {metrics} "
        "metrics above target ({targets}); largest {metric}: {se} against {target}",
    },
    "cli_sim_target_unit": {
        "nb": "{target} ({unit})",
        "nn": "{target} ({unit})",
        "en": "{target} ({unit})",
    },
    # units of `simulate`'s metrics (summary.csv keeps the English unit)
    "sim_unit_unitless": {"nb": "uten enhet", "nn": "utan eining", "en": "unitless"},
    "sim_unit_kr_fte": {"nb": "kr/årsverk", "nn": "kr/årsverk", "en": "kr/FTE"},
    "sim_unit_km": {"nb": "km", "nn": "km", "en": "km"},
    "sim_unit_fte": {"nb": "årsverk", "nn": "årsverk", "en": "FTE"},
    "sim_unit_owners": {"nb": "eiere", "nn": "eigarar", "en": "owners"},
    # which draws `simulate`'s printed rows are of
    "cli_sim_same_where_defined": {
        "nb": "det samme i alle trekninger der det er definert",
        "nn": "det same i alle trekningar der det er definert",
        "en": "the same in every draw where defined",
    },
    "cli_sim_over_region": {
        "nb": "merknad    n: trekningene et mål er definert i, av {draws} løsbare; et mål for én "
        "region (net_per_fte_…, power_largest_…) er bare definert når regionen deltar, så "
        "snittet er over de trekningene",
        "nn": "merknad    n: trekningane eit mål er definert i, av {draws} løysbare; eit mål for "
        "éin region (net_per_fte_…, power_largest_…) er berre definert når regionen er med, så "
        "snittet er over dei trekningane",
        "en": "note       n: the draws a metric is defined in, of {draws} feasible; a region's "
        "metric (net_per_fte_…, power_largest_…) is defined only when the region takes part, "
        "so its mean is over those draws",
    },
    "cli_caveat": {"nb": "forbehold  {text}", "nn": "atterhald  {text}", "en": "caveat     {text}"},
    "cli_metric": {"nb": "mål", "nn": "mål", "en": "metric"},
    "cli_unit": {"nb": "enhet", "nn": "eining", "en": "unit"},
    "cli_mean": {"nb": "snitt", "nn": "snitt", "en": "mean"},
    "cli_interval": {"nb": "95 %-intervall", "nn": "95 %-intervall", "en": "95 % interval"},
    "cli_mc_se": {"nb": "MC-SE", "nn": "MC-SE", "en": "MC SE"},
    "cli_sim_no_feasible": {
        "nb": "ingen løsbar trekning",
        "nn": "inga løysbar trekning",
        "en": "no feasible draw",
    },
    "cli_sim_travel_unavailable": {
        "nb": "ikke tilgjengelig: stedet til en partner er ukjent",
        "nn": "ikkje tilgjengeleg: staden til ein partnar er ukjend",
        "en": "unavailable: a partner's place is unknown",
    },
    "cli_sim_theil_zero": {
        "nb": "udefinert i alle trekninger: Theils T er 0 (likt opp til avrunding til hele kroner)",
        "nn": "udefinert i alle trekningar: Theils T er 0 (likt opp til avrunding til heile "
        "kroner)",
        "en": "undefined in every draw: Theil's T is 0 (equal up to whole-krone rounding)",
    },
    "cli_sim_undefined": {
        "nb": "udefinert i alle trekninger",
        "nn": "udefinert i alle trekningar",
        "en": "undefined in every draw",
    },
    "cli_sim_equal": {
        "nb": "i alle trekninger: likt per årsverk opp til avrunding til hele kroner",
        "nn": "i alle trekningar: likt per årsverk opp til avrunding til heile kroner",
        "en": "in every draw: equal per FTE up to whole-krone rounding",
    },
    "cli_sim_same": {
        "nb": "det samme i alle trekninger",
        "nn": "det same i alle trekningar",
        "en": "the same in every draw",
    },
    "cli_sim_one_feasible": {
        "nb": "én løsbar trekning: intet intervall",
        "nn": "éi løysbar trekning: ikkje noko intervall",
        "en": "one feasible draw: no interval",
    },
    "cli_sim_one_defined": {
        "nb": "definert i bare én trekning: intet intervall",
        "nn": "definert i berre éi trekning: ikkje noko intervall",
        "en": "defined in one draw only: no interval",
    },
    "cli_sim_interrupted": {
        "nb": "avbrutt: {saved} av {chunks} biter lagret i {out}, med provenance.json merket "
        "ufullstendig og uten resultater (trekninger, sammendrag, figurer); fortsett med: "
        "{command}",
        "nn": "avbroten: {saved} av {chunks} bitar lagra i {out}, med provenance.json merkt "
        "ufullstendig og utan resultat (trekningar, samandrag, figurar); hald fram med: "
        "{command}",
        "en": "interrupted: {saved} of {chunks} chunks saved in {out}, with provenance.json "
        "marked incomplete and no results (draws, summary, figures); continue with: {command}",
    },
    "cli_sim_mean_below": {
        "nb": "snittet ligger under intervallet til de midterste 95 % av trekningene: {share} "
        "av trekningene ligger under det",
        "nn": "snittet ligg under intervallet til dei midtarste 95 % av trekningane: {share} "
        "av trekningane ligg under det",
        "en": "the mean is below the interval of the middle 95 % of draws: {share} of draws "
        "lie below it",
    },
    "cli_sim_mean_above": {
        "nb": "snittet ligger over intervallet til de midterste 95 % av trekningene: {share} "
        "av trekningene ligger over det",
        "nn": "snittet ligg over intervallet til dei midtarste 95 % av trekningane: {share} "
        "av trekningane ligg over det",
        "en": "the mean is above the interval of the middle 95 % of draws: {share} of draws "
        "lie above it",
    },
    "cli_written": {
        "nb": "skrevet    {out}: {files}",
        "nn": "skrive     {out}: {files}",
        "en": "written    {out}: {files}",
    },
    "cli_sim_too_many_infeasible": {
        "nb": "feil: {share} av trekningene er uløselige, over scenarioets max_infeasible_share "
        "på {limit} ([uncertainty]); reglene kolliderer for ofte med denne usikkerheten",
        "nn": "feil: {share} av trekningane er uløyselege, over max_infeasible_share i "
        "scenarioet, {limit} ([uncertainty]); reglane kolliderer for ofte med denne uvissa",
        "en": "error: {share} of the draws are infeasible, above the scenario's "
        "max_infeasible_share of {limit} ([uncertainty]); the rules clash too often under "
        "this uncertainty",
    },
    # printed summary of `sensitivity` (metric and parameter names are sensitivity.csv's own)
    "cli_sens_scenario": {
        "nb": "scenario   {name} ({file}, frø {seed}): {runs} modellkjøringer ({samples} "
        "grunnutvalg), {failed} uløselige",
        "nn": "scenario   {name} ({file}, frø {seed}): {runs} modellkøyringar ({samples} "
        "grunnutval), {failed} uløyselege",
        "en": "scenario   {name} ({file}, seed {seed}): {runs} model runs ({samples} base "
        "samples), {failed} infeasible",
    },
    "cli_parameter": {"nb": "parameter", "nn": "parameter", "en": "parameter"},
    "cli_sens_index": {
        "nb": "{index} ± 95 % KI",
        "nn": "{index} ± 95 % KI",
        "en": "{index} ± 95 % CI",
    },
    "cli_sens_no_indices": {
        "nb": "ingen indekser: {why}",
        "nn": "ingen indeksar: {why}",
        "en": "no indices: {why}",
    },
    "cli_sens_unreliable": {
        "nb": "merknad    {rows} rader upålitelige: et intervall bredere enn ±{width} eller en "
        "indeks utenfor 0–1 ut over intervallet sitt",
        "nn": "merknad    {rows} rader upålitelege: eit intervall breiare enn ±{width} eller ein "
        "indeks utanfor 0–1 ut over intervallet sitt",
        "en": "note       {rows} rows unreliable: an interval wider than ±{width} or an index "
        "outside 0–1 beyond its interval",
    },
    # figures of `structures`
    "struct_today": {"nb": "i dag", "nn": "i dag", "en": "today"},
    "struct_count_axis": {"nb": "inndelinger", "nn": "inndelingar", "en": "structures"},
    "struct_structures": {"nb": "inndelinger", "nn": "inndelingar", "en": "structures"},
    "struct_draws": {"nb": "trekninger", "nn": "trekningar", "en": "draws"},
    "struct_share_axis": {
        "nb": "andel av referansesettet",
        "nn": "del av referansesettet",
        "en": "share of the reference set",
    },
    "struct_left_out": {
        "nb": "({n} av {total} inndelinger er utelatt: ingen endelig verdi)",
        "nn": "({n} av {total} inndelingar er utelatne: ingen endeleg verdi)",
        "en": "({n} of {total} structures left out: no finite value)",
    },
    "struct_left_out_draws": {
        "nb": "({n} av {total} trekninger er utelatt: ingen endelig verdi)",
        "nn": "({n} av {total} trekningar er utelatne: ingen endeleg verdi)",
        "en": "({n} of {total} draws left out: no finite value)",
    },
    "struct_reference": {
        "nb": "referanse: {reference}",
        "nn": "referanse: {reference}",
        "en": "reference: {reference}",
    },
    "struct_ref_exact": {
        "nb": "alle {n} tillatte inndelinger med {k} regioner (fullstendig opptalt; eksakt)",
        "nn": "alle {n} tillatne inndelingar med {k} regionar (fullstendig opptalde; eksakt)",
        "en": "all {n} plausible {k}-region structures (enumerated; exact)",
    },
    "struct_ref_uniform_law": {
        "nb": "jevnt fordelt over de tillatte inndelingene med {k} regioner",
        "nn": "jamt fordelt over dei tillatne inndelingane med {k} regionar",
        "en": "uniform over the plausible {k}-region structures",
    },
    "struct_ref_tree_law": {
        "nb": "spenntrefordelingen over de tillatte inndelingene med {k} regioner (∝ ∏τ; "
        "favoriserer kompakte regioner)",
        "nn": "spenntrefordelinga over dei tillatne inndelingane med {k} regionar (∝ ∏τ; "
        "favoriserer kompakte regionar)",
        "en": "the spanning-tree law over the plausible {k}-region structures (∝ ∏τ; "
        "favours compact regions)",
    },
    "struct_ref_uniform_draws": {
        "nb": "{n} uavhengige, jevnt fordelte trekninger fra beslutningsdiagrammet "
        "({distinct} ulike inndelinger)",
        "nn": "{n} uavhengige, jamt fordelte trekningar frå avgjerdsdiagrammet "
        "({distinct} ulike inndelingar)",
        "en": "{n} independent uniform draws from the decision diagram "
        "({distinct} distinct structures)",
    },
    "struct_ref_recom_draws": {
        "nb": "{n} trekninger fra {chains} reversible ReCom-kjeder med stasjonær fordeling "
        "{law} ({per_chain} hver etter {burn_in} innkjøringssteg; {distinct} ulike inndelinger)",
        "nn": "{n} trekningar frå {chains} reversible ReCom-kjeder med stasjonær fordeling "
        "{law} ({per_chain} kvar etter {burn_in} innkøyringssteg; {distinct} ulike inndelingar)",
        "en": "{n} draws of {chains} reversible ReCom chains with stationary law "
        "{law} ({per_chain} each after {burn_in} burn-in steps; {distinct} distinct structures)",
    },
    "struct_ref_uniform_chain": {"nb": "jevn", "nn": "jamn", "en": "uniform"},
    "struct_ref_estimated": {
        "nb": "{target}, anslått fra {drawn}",
        "nn": "{target}, estimert frå {drawn}",
        "en": "{target}, estimated from {drawn}",
    },
    "struct_ref_tau": {
        "nb": "; τ: spenntrær i en region",
        "nn": "; τ: spenntre i ein region",
        "en": "; τ: spanning trees of a region",
    },
    "struct_ref_reweighted": {
        "nb": ", omvektet med ∏τ^{power} (τ: spenntrær i en region; effektiv utvalgsstørrelse "
        "(ESS) for vektene, (Σw)²/Σw², {ess})",
        "nn": ", omvekta med ∏τ^{power} (τ: spenntre i ein region; effektiv utvalsstorleik "
        "(ESS) for vektene, (Σw)²/Σw², {ess})",
        "en": ", reweighted by ∏τ^{power} (τ: spanning trees of a region; effective sample "
        "size (ESS) of the weights, (Σw)²/Σw², {ess})",
    },
    "struct_ref_several": {
        "nb": "; hvert antall regioner vektet med sin andel av trekningene",
        "nn": "; kvart tal på regionar vekta med sin del av trekningane",
        "en": "; each number of regions weighted by its share of the draws",
    },
    "struct_map_dominates": {
        "nb": "nr. {id}: dominerer dagens inndeling",
        "nn": "nr. {id}: dominerer dagens inndeling",
        "en": "#{id}: dominates today",
    },
    "struct_map_today_frontier": {
        "nb": "i dag: på Pareto-fronten",
        "nn": "i dag: på Pareto-fronten",
        "en": "today: on the frontier",
    },
    "struct_map_frontier": {
        "nb": "nr. {id}: på Pareto-fronten",
        "nn": "nr. {id}: på Pareto-fronten",
        "en": "#{id}: on the frontier",
    },
    "struct_among_all": {
        "nb": "blant alle {n} tillatte inndelinger",
        "nn": "blant alle {n} tillatne inndelingar",
        "en": "among all {n} plausible structures",
    },
    "struct_among_sampled": {
        "nb": "blant de {n} trukne inndelingene",
        "nn": "blant dei {n} trekte inndelingane",
        "en": "among the {n} sampled structures",
    },
    "struct_among_evaluated": {
        "nb": "blant {n} vurderte inndelinger, {m} av dem trukket",
        "nn": "blant {n} vurderte inndelingar, {m} av dei trekte",
        "en": "among {n} structures evaluated, {m} of them sampled",
    },
    "struct_mark_proven": {
        "nb": "bevist best i minst ett mål",
        "nn": "prova best i minst eitt mål",
        "en": "proven best in at least one score",
    },
    "struct_mark_programme": {
        "nb": "beste heltallsprogrammet fant, ikke bevist",
        "nn": "beste heiltalsprogrammet fann, ikkje prova",
        "en": "best the integer programme found, not proven",
    },
    "struct_mark_search": {
        "nb": "best funnet ved søk, ikke bevist",
        "nn": "best funne ved søk, ikkje prova",
        "en": "best found by search, not proven",
    },
    "struct_mark_best": {
        "nb": "best i utvalget, ikke bevist",
        "nn": "best i utvalet, ikkje prova",
        "en": "best of the sample, not proven",
    },
    "struct_mark_searched": {
        "nb": "funnet ved søk",
        "nn": "funne ved søk",
        "en": "found by search",
    },
    "struct_map_today_region": {
        "nb": "{name} ({n} kommuner)",
        "nn": "{name} ({n} kommunar)",
        "en": "{name} ({n} municipalities)",
    },
    "struct_map_today_region_one": {
        "nb": "{name} (1 kommune)",
        "nn": "{name} (1 kommune)",
        "en": "{name} (1 municipality)",
    },
    "struct_map_region": {
        "nb": "{name} og {n} til",
        "nn": "{name} og {n} til",
        "en": "{name} and {n} more",
    },
    "metric_theil_between_share": {
        "nb": "andel av Theils T mellom regioner (nettomidler per årsverk)",
        "nn": "del av Theils T mellom regionar (nettomidlar per årsverk)",
        "en": "between-region share of Theil T (net funding per FTE)",
    },
    "metric_theil_total": {
        "nb": "Theils T for nettomidler per årsverk",
        "nn": "Theils T for nettomidlar per årsverk",
        "en": "Theil T of net funding per FTE",
    },
    "metric_gini": {
        "nb": "Gini for nettomidler per årsverk",
        "nn": "Gini for nettomidlar per årsverk",
        "en": "Gini of net funding per FTE",
    },
    "metric_travel_km": {
        "nb": "km til regionens partner, vektet med årsverk",
        "nn": "km til partnaren i regionen, vekta med årsverk",
        "en": "FTE-weighted km to the region's partner",
    },
    "metric_small_large_gap": {
        "nb": "små minus store skoleeiere, netto kroner per årsverk",
        "nn": "små minus store skuleeigarar, netto kroner per årsverk",
        "en": "small minus large owners, net NOK per FTE",
    },
    "metric_max_power": {
        "nb": "største Banzhaf-makt i en region",
        "nn": "største Banzhaf-makt i ein region",
        "en": "largest Banzhaf power inside a region",
    },
    "metric_need_match": {
        "nb": "andel av meldte behov som dekkes",
        "nn": "del av melde behov som vert dekte",
        "en": "share of reported needs matched",
    },
    "metric_n_regions": {
        "nb": "antall geografiske regioner",
        "nn": "talet på geografiske regionar",
        "en": "number of geographic regions",
    },
    # alternatives: what moved
    "alternatives_fewer": {
        "nb": "Bare {found} av {asked} alternativer: av de {tried} søkeretningene som ble prøvd "
        "(hver regions totalbeløp og partnernes del så stor og så liten som mulig), gir {found} "
        "fordelinger som flytter minst {moved} mellom mottakere sammenlignet med forslaget og "
        "hverandre, holder alle reglene og har en målfunksjon (kroner unna fordelingsnøkkelen, "
        "med reise-, behovs- og likevektsledd) høyst {slack} over forslagets.",
        "nn": "Berre {found} av {asked} alternativ: av dei {tried} søkjeretningane som vart prøvde "
        "(totalbeløpet til kvar region og delen til partnarane så stor og så lita som mogleg), "
        "gir {found} fordelingar som flyttar minst {moved} mellom mottakarar samanlikna med "
        "forslaget og kvarandre, held alle reglane og har ein målfunksjon (kroner unna "
        "fordelingsnøkkelen, med reise-, behovs- og likevektsledd) på høgst {slack} over "
        "forslaget sin.",
        "en": "Only {found} of {asked} alternatives: of the {tried} directions tried (each "
        "region's total and its partners' part as large and as small as they can be), {found} "
        "give allocations that move at least {moved} between recipients relative to the "
        "proposal and to each other, keep every rule and have an objective (kroner off the "
        "key, plus the travel, need and tie-break terms) at most {slack} above the proposal's.",
    },
    "col_change_from_proposal": {
        "nb": "Endring fra forslaget",
        "nn": "Endring frå forslaget",
        "en": "Change from the proposal",
    },
    "alternative_heading": {
        "nb": "Alternativ {n}",
        "nn": "Alternativ {n}",
        "en": "Alternative {n}",
    },
    "alternative_moved": {
        "nb": "Flytter {moved} mellom mottakere sammenlignet med forslaget (minst {nearest} fra "
        "forslaget og alternativene før).",
        "nn": "Flyttar {moved} mellom mottakarar samanlikna med forslaget (minst {nearest} frå "
        "forslaget og alternativa før).",
        "en": "Moves {moved} between recipients compared with the proposal (at least {nearest} "
        "from the proposal and the alternatives before).",
    },
    "col_owners_in_proposal": {
        "nb": "Til skoleeiere i forslaget",
        "nn": "Til skuleeigarar i forslaget",
        "en": "To owners in the proposal",
    },
    "col_owners_in_alternative": {
        "nb": "Til skoleeiere i alternativet",
        "nn": "Til skuleeigarar i alternativet",
        "en": "To owners in the alternative",
    },
    "col_partners_in_proposal": {
        "nb": "Til partnere i forslaget",
        "nn": "Til partnarar i forslaget",
        "en": "To partners in the proposal",
    },
    "col_partners_in_alternative": {
        "nb": "Til partnere i alternativet",
        "nn": "Til partnarar i alternativet",
        "en": "To partners in the alternative",
    },
    "sheet_alternative_recipients": {
        "nb": "Alternativ {n} mottakere",
        "nn": "Alternativ {n} mottakarar",
        "en": "Alternative {n} recipients",
    },
    "alternative_direction": {
        "nb": "Søkeretning: {direction}.",
        "nn": "Søkjeretning: {direction}.",
        "en": "Search direction: {direction}.",
    },
    "direction_max": {"nb": "mest mulig", "nn": "mest mogleg", "en": "as much as possible"},
    "direction_min": {"nb": "minst mulig", "nn": "minst mogleg", "en": "as little as possible"},
    "direction_total": {
        "nb": "i alt til {region}",
        "nn": "i alt til {region}",
        "en": "in total to {region}",
    },
    "direction_partners": {
        "nb": "til partnere i {region}",
        "nn": "til partnarar i {region}",
        "en": "to partners in {region}",
    },
    "alternative_regions": {
        "nb": "Per region: skoleeiere og partnere",
        "nn": "Per region: skuleeigarar og partnarar",
        "en": "Per region: owners and partners",
    },
    "alternative_recipients": {
        "nb": "Mottakere som får et annet beløp",
        "nn": "Mottakarar som får eit anna beløp",
        "en": "Recipients whose amount changes",
    },
    "alternative_none_moved": {
        "nb": "Ingen mottaker får et annet beløp.",
        "nn": "Ingen mottakar får eit anna beløp.",
        "en": "No recipient's amount changes.",
    },
    # what-if: sectors
    "whatif_sectors": {
        "nb": "Fordeling på sektor",
        "nn": "Fordeling på sektor",
        "en": "Split by sector",
    },
    "whatif_sector_summary": {
        "nb": "Til skole {school}, til barnehage {kindergarten} ({share}).",
        "nn": "Til skule {school}, til barnehage {kindergarten} ({share}).",
        "en": "To schools {school}, to kindergartens {kindergarten} ({share}).",
    },
    "col_school_nok": {"nb": "Til skole", "nn": "Til skule", "en": "To schools"},
    "col_kindergarten_nok": {
        "nb": "Til barnehage",
        "nn": "Til barnehage",
        "en": "To kindergartens",
    },
    "col_kindergarten_share": {
        "nb": "Andel barnehage",
        "nn": "Del barnehage",
        "en": "Kindergarten share",
    },
    "col_kindergarten_change": {
        "nb": "Barnehage: endring fra scenarioets verdi",
        "nn": "Barnehage: endring frå verdien i scenarioet",
        "en": "Kindergartens: change from the scenario's value",
    },
    # provenance: the input files
    "prov_scope": {"nb": "Område", "nn": "Område", "en": "Scope"},
    "prov_input_file_note": {
        "nb": "Merknad til {key}",
        "nn": "Merknad til {key}",
        "en": "Note on {key}",
    },
    # the report's tables: what the FTE totals count; the PDF without the explorer
    "key_fte_note": {
        "nb": "Sum-raden teller lærerårsverkene til skoleeierne som deltar ({fte} årsverk), "
        "slik regionene og kroner per årsverk gjør; {owners} ({fte_out} årsverk) deltar ikke, "
        "og årsverkene deres er utenfor nøkkelen.",
        "nn": "Sum-rada tel lærarårsverka til skuleeigarane som deltek ({fte} årsverk), slik "
        "regionane og kroner per årsverk gjer; {owners} ({fte_out} årsverk) deltek ikkje, og "
        "årsverka deira er utanfor nøkkelen.",
        "en": "The total row counts the teacher FTEs of the owners that take part ({fte} FTE), "
        "as the regions and NOK per FTE do; {owners} ({fte_out} FTE) do not take part, and "
        "their FTEs are outside the key.",
    },
    "pdf_explorer_note": {
        "nb": "Utforskeren «{section}» finnes bare i HTML-rapporten ({file}), ikke i PDF-en.",
        "nn": "Utforskaren «{section}» finst berre i HTML-rapporten ({file}), ikkje i PDF-en.",
        "en": "The what-if explorer “{section}” is only in the HTML report ({file}), not in "
        "the PDF.",
    },
    "rule_relax_no_change": {
        "nb": "Å løsne bare dette kravet med {step} ville ikke senke målfunksjonen. Beløpene "
        "kan likevel følge regelen: blant like gode fordelinger velger modellen den som ligger "
        "nærmest andelene reglene setter, så en endret regel kan flytte dem.",
        "nn": "Å løysa opp berre dette kravet med {step} ville ikkje senka målfunksjonen. "
        "Beløpa kan likevel følgja regelen: blant like gode fordelingar vel modellen den som "
        "ligg nærast delane reglane set, så ein endra regel kan flytta dei.",
        "en": "Relaxing only this bound by {step} would not lower the objective. The amounts "
        "can still follow the rule: among equally good allocations the model picks the one "
        "nearest the shares the rules set, so a changed rule can move them.",
    },
    # the workbook's owners sheet: how an imputed figure was made (the method's own words are
    # the data layer's notes)
    "col_imputation_method": {
        "nb": "Anslagsmetode",
        "nn": "Anslagsmetode",
        "en": "Imputation method",
    },
}

MESSAGES |= NOTE_MESSAGES

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
    "scope": "prov_scope",
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


def partners_key(regime: str, kinds: Iterable[str]) -> str:
    """The catalogue key of the words for a run's partners: ``partners_uh`` in the ``dekom``
    regime, whose partners are universities and university colleges (UH; validation refuses
    others), when every partner is one; else ``partners_all``: from 2026 the scheme's
    partners are UH, fagskoler and other competence environments, and the rules (R3) count
    them all."""
    return "partners_uh" if regime == "dekom" and set(kinds) <= {"uh"} else "partners_all"


def has_message(message_id: str) -> bool:
    """Whether the catalogue holds ``message_id``."""
    return message_id in MESSAGES
