"""The data layer's findings as typed records, shown in English or in the reader's language.

A :class:`Note` is made where the finding is made (a caveat of the county model, an owner's
imputation method, a repair made while reading a file): a message id of :data:`NOTE_MESSAGES`
and the values of its fields. :meth:`Note.in_language` is its text in bokmål, nynorsk or
English; ``str(note)`` is the English text, the one the CLI prints and ``provenance.json``
and the CSV files hold, the same as the English report's. Numbers are in the package's
format in every language (:mod:`dekomopt.formats`: ``0,865``, ``100 434``, ``3 175 973 kr``).

A field is a string, a number, or text that is itself shown per language (a nested note,
:class:`Joined` notes, a scenario's own free text). A number's decimals are stated once, in
its template: ``{share:.3f}`` shows up to that many (``0,5``); a figure stated to a fixed
precision (``{per_1000:#.3f}``, the imputation ratio in FTE per 1000 inhabitants) shows
exactly that many (``10,860``).
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import Protocol, runtime_checkable

from dekomopt.formats import format_decimal, format_number


@runtime_checkable
class Localised(Protocol):
    """Text shown per language: ``str()`` is its English text."""

    def in_language(self, lang: str) -> str: ...


FieldValue = str | int | float | Localised
"""What a note's field may hold."""

NOTE_LANGUAGES: tuple[str, ...] = ("nb", "nn", "en")

NOTE_MESSAGES: dict[str, dict[str, str]] = {
    # owners' teacher-FTE imputation methods
    "method_ratio": {
        "nb": "fylkets forholdstall: {per_1000:#.3f} lærerårsverk per 1000 innbyggere × "
        "{population} innbyggere (2024)",
        "nn": "forholdstalet i fylket: {per_1000:#.3f} lærarårsverk per 1000 innbyggjarar × "
        "{population} innbyggjarar (2024)",
        "en": "county ratio estimate: {per_1000:#.3f} FTE per 1000 inhabitants × 2024 "
        "population {population}",
    },
    "method_ratio_observed": {
        "nb": "fylkets forholdstall: {per_1000:#.3f} lærerårsverk per 1000 innbyggere × "
        "{population} innbyggere (2024) − observert {observed:.1f}",
        "nn": "forholdstalet i fylket: {per_1000:#.3f} lærarårsverk per 1000 innbyggjarar × "
        "{population} innbyggjarar (2024) − observert {observed:.1f}",
        "en": "county ratio estimate: {per_1000:#.3f} FTE per 1000 inhabitants × 2024 "
        "population {population} − observed {observed:.1f}",
    },
    "method_private_removed": {
        "nb": "friskolene trukket fra: tall for alle eiere × {factor:.4f} (fylkets andel "
        "offentlige lærerårsverk, anslag)",
        "nn": "friskulane trekte frå: tal for alle eigarar × {factor:.4f} (delen offentlege "
        "lærarårsverk i fylket, overslag)",
        "en": "private schools removed: all-owner figures × {factor:.4f} (county "
        "public/(public+private) FTE ratio, estimate)",
    },
    "method_county_total": {
        "nb": "anslått: summen for {county} for {year} ({owners}) fordelt etter folketallet i "
        "2024, {per_1000:#.3f} lærerårsverk per 1000 innbyggere × {population} innbyggere",
        "nn": "anslått: summen for {county} for {year} ({owners}) fordelt etter folketalet i "
        "2024, {per_1000:#.3f} lærarårsverk per 1000 innbyggjarar × {population} innbyggjarar",
        "en": "imputed: {county} {year} total ({owners}) shared by 2024 population, "
        "{per_1000:#.3f} FTE per 1000 inhabitants × {population} inhabitants",
    },
    "method_county_total_elsewhere": {
        "nb": "anslått: summen for {county} for {year} ({owners}) fordelt etter folketallet i "
        "2024, {per_1000:#.3f} lærerårsverk per 1000 innbyggere × {population} innbyggere "
        "(en del av kommunen lå i {others} før 2020)",
        "nn": "anslått: summen for {county} for {year} ({owners}) fordelt etter folketalet i "
        "2024, {per_1000:#.3f} lærarårsverk per 1000 innbyggjarar × {population} innbyggjarar "
        "(ein del av kommunen låg i {others} før 2020)",
        "en": "imputed: {county} {year} total ({owners}) shared by 2024 population, "
        "{per_1000:#.3f} FTE per 1000 inhabitants × {population} inhabitants (part of it lay "
        "in {others} before 2020)",
    },
    "owners_public": {
        "nb": "offentlige skoler",
        "nn": "offentlege skular",
        "en": "public schools",
    },
    "owners_all": {"nb": "alle eiere", "nn": "alle eigarar", "en": "all owners"},
    "method_fallback": {
        "nb": "RESERVE: ikke i {path}; det medfølgende tallet er brukt",
        "nn": "RESERVE: ikkje i {path}; det medfølgjande talet er brukt",
        "en": "FALLBACK: not in {path}; bundled figure used",
    },
    "method_fallback_of": {
        "nb": "RESERVE: ikke i {path}; det medfølgende tallet er brukt ({method})",
        "nn": "RESERVE: ikkje i {path}; det medfølgjande talet er brukt ({method})",
        "en": "FALLBACK: not in {path}; bundled figure used ({method})",
    },
    # the bundled teacher FTEs of a county
    "note_fte_source": {
        "nb": "{county}: lærerårsverkene er Skoleporten-tall for {years} for kommunene fra før "
        "2020, ført over til 2024-kommunene med omkodingen fra 2020; tall per kommune for 2020 "
        "eller senere ble ikke funnet.",
        "nn": "{county}: lærarårsverka er Skoleporten-tal for {years} for kommunane frå før "
        "2020, førte over til 2024-kommunane med omkodinga frå 2020; tal per kommune for 2020 "
        "eller seinare vart ikkje funne.",
        "en": "{county}: teacher FTEs are Skoleporten figures for {years} for the pre-2020 "
        "municipalities, carried to the 2024 municipalities through the 2020 crosswalk; no "
        "per-municipality figure for 2020 or later was found.",
    },
    "note_border": {
        "nb": "{old} → {new}: grensejustering med ukjent folketall (tom andel); gir 0 "
        "lærerårsverk.",
        "nn": "{old} → {new}: grensejustering med ukjent folketal (tom del); gir 0 lærarårsverk.",
        "en": "{old} → {new}: border adjustment with unknown population (empty share); it "
        "contributes 0 FTE.",
    },
    "note_split": {
        "nb": "{old} ble delt etter andel av innbyggerne ({parts}); en andel av innbyggerne er "
        "ikke en andel av lærerne.",
        "nn": "{old} vart delt etter del av innbyggjarane ({parts}); ein del av innbyggjarane er "
        "ikkje ein del av lærarane.",
        "en": "{old} was split by population share ({parts}); a population share is not a "
        "teacher share.",
    },
    "part_share_to": {
        "nb": "{share:.3f} til {dest}",
        "nn": "{share:.3f} til {dest}",
        "en": "{share:.3f} to {dest}",
    },
    "note_leaves": {
        "nb": "{old}: andelen {share:.3f} gikk til {dest} utenfor {county}; de lærerårsverkene "
        "forlater fylket.",
        "nn": "{old}: delen {share:.3f} gjekk til {dest} utanfor {county}; dei lærarårsverka "
        "forlèt fylket.",
        "en": "{old}: share {share:.3f} went to {dest} outside {county}; its FTEs leave the "
        "county.",
    },
    "note_partial_owners": {
        "nb": "{n} kommuner fra før 2020 har tall bare for {what} (ikke alle eiere): {names}; "
        "brukt som observert, holdt utenfor forholdstallet for anslagene.",
        "nn": "{n} kommunar frå før 2020 har tal berre for {what} (ikkje alle eigarar): {names}; "
        "brukte som observerte, haldne utanfor forholdstalet for overslaga.",
        "en": "{n} pre-2020 units have figures for {what} only (not all owners): {names}; used "
        "as observed, left out of the imputation ratio.",
    },
    "note_imputed_municipalities": {
        "nb": "{n} av {total} kommuner har anslåtte lærerårsverk (fylkets forholdstall): {names}.",
        "nn": "{n} av {total} kommunar har anslåtte lærarårsverk (forholdstalet i fylket): "
        "{names}.",
        "en": "{n} of {total} municipalities have imputed FTEs (county ratio estimator): {names}.",
    },
    "note_private_removed": {
        "nb": "Friskolene er trukket fra med fylkets forhold mellom offentlige og alle skoler "
        "({year}; kommunetallene kan være fra et annet år); friskolene hadde {fte:.1f} "
        "lærerårsverk.",
        "nn": "Friskulane er trekte frå med forholdet i fylket mellom offentlege og alle skular "
        "({year}; kommunetala kan vere frå eit anna år); friskulane hadde {fte:.1f} "
        "lærarårsverk.",
        "en": "Private schools removed by the county public/(public+private) ratio ({year}; "
        "municipal figures may be from another year); private schools had {fte:.1f} FTEs.",
    },
    "note_private_included": {
        "nb": "Kommunetallene omfatter friskolene (alle eiere); friskolene i fylket hadde "
        "{fte:.1f} lærerårsverk i {year}. Telles friskolenettverket i tillegg som en egen "
        "eier, telles de to ganger, med mindre exclude_private=True.",
        "nn": "Kommunetala omfattar friskulane (alle eigarar); friskulane i fylket hadde "
        "{fte:.1f} lærarårsverk i {year}. Vert friskulenettverket i tillegg rekna som ein eigen "
        "eigar, vert dei talde to gonger, med mindre exclude_private=True.",
        "en": "Municipal figures include private schools (all owners); the county's private "
        "schools had {fte:.1f} FTEs in {year}. Counting the private network as an owner of its "
        "own double-counts them unless exclude_private=True.",
    },
    "note_imputation_ratio": {
        "nb": "Forholdstall for anslagene: {per_1000:#.3f} lærerårsverk per 1000 innbyggere = "
        "observerte lærerårsverk (alle eiere) i de {n} kommunene med tall / innbyggertallet "
        "deres i 2024 ({population}) × 1000; skoleår og år for innbyggertall er ikke de samme.",
        "nn": "Forholdstal for overslaga: {per_1000:#.3f} lærarårsverk per 1000 innbyggjarar = "
        "observerte lærarårsverk (alle eigarar) i dei {n} kommunane med tal / innbyggjartalet "
        "deira i 2024 ({population}) × 1000; skuleår og år for innbyggjartal er ikkje dei same.",
        "en": "Imputation ratio: {per_1000:#.3f} FTE per 1000 inhabitants = observed all-owner "
        "FTEs of the {n} base municipalities / their 2024 population ({population}) × 1000; "
        "school years and population years differ.",
    },
    "note_all_imputed": {
        "nb": "{county}: ingen lærerårsverk per kommune følger med; alle {n} tallene er ANSLÅTT "
        "fra fylkessummene fra før 2020 (Skoleporten, {years}) fordelt etter folketallet i "
        "2024. Bruk egne tall (owners.fte_source) for å erstatte dem.",
        "nn": "{county}: ingen lærarårsverk per kommune følgjer med; alle {n} tala er ANSLÅTTE "
        "frå fylkessummane frå før 2020 (Skoleporten, {years}) fordelte etter folketalet i "
        "2024. Bruk eigne tal (owners.fte_source) for å byte dei ut.",
        "en": "{county}: no per-municipality teacher FTEs are bundled; all {n} values are "
        "IMPUTED from the pre-2020 county totals (Skoleporten, {years}) shared by 2024 "
        "population. Point owners.fte_source at your own figures to replace them.",
    },
    "note_imputation_assumes": {
        "nb": "De anslåtte lærerårsverkene forutsetter like mange lærere per innbygger i hele "
        "fylket (slik det var før 2020); skoleår og folketallsår (2024) er ulike.",
        "nn": "Dei anslåtte lærarårsverka føreset like mange lærarar per innbyggjar i heile "
        "fylket (slik det var før 2020); skuleår og folketalsår (2024) er ulike.",
        "en": "Imputed FTEs assume teachers per inhabitant are even within a pre-2020 county; "
        "school years and the population year (2024) differ.",
    },
    "note_imputation_public": {
        "nb": "Private skoler er holdt utenfor: anslaget bruker summene for offentlige skoler "
        "(de private skolene i {counties} hadde {fte:.1f} årsverk).",
        "nn": "Private skular er haldne utanfor: anslaget brukar summane for offentlege skular "
        "(dei private skulane i {counties} hadde {fte:.1f} årsverk).",
        "en": "Private schools left out: the imputation uses the public-school totals (private "
        "schools of {counties} had {fte:.1f} FTEs).",
    },
    "note_imputation_all_owners": {
        "nb": "De anslåtte tallene omfatter private skoler (alle eiere); de private skolene i "
        "{counties} hadde {fte:.1f} årsverk.",
        "nn": "Dei anslåtte tala omfattar private skular (alle eigarar); dei private skulane i "
        "{counties} hadde {fte:.1f} årsverk.",
        "en": "Imputed figures include private schools (all owners); the private schools of "
        "{counties} had {fte:.1f} FTEs.",
    },
    # a region list read (findings of the region-list check)
    "note_read_as": {
        "nb": "«{raw}» lest som {names} (store og små bokstaver, tegnsetting og overflødige "
        "skilletegn ignorert)",
        "nn": "«{raw}» lese som {names} (store og små bokstavar, teiknsetjing og overflødige "
        "skiljeteikn ignorerte)",
        "en": "'{raw}' read as {names} (case, punctuation or stray separators ignored)",
    },
    "note_read_as_many": {
        "nb": "«{raw}» lest som {n} kommuner: {names}",
        "nn": "«{raw}» lese som {n} kommunar: {names}",
        "en": "'{raw}' read as {n} municipalities: {names}",
    },
    "note_listed_twice": {
        "nb": "{name} ({code}) står to ganger i region {region}; telt én gang",
        "nn": "{name} ({code}) står to gonger i region {region}; talt éin gong",
        "en": "{name} ({code}) listed twice in region {region}; counted once",
    },
    "note_listed_in_regions": {
        "nb": "{name} ({code}) står i regionene {regions}",
        "nn": "{name} ({code}) står i regionane {regions}",
        "en": "{name} ({code}) listed in regions {regions}",
    },
    "note_unknown_municipality": {
        "nb": "ukjent kommune «{name}» i region {region}; nærmeste navn i registeret: {closest}",
        "nn": "ukjend kommune «{name}» i region {region}; næraste namn i registeret: {closest}",
        "en": "unknown municipality '{name}' in region {region}; closest register names: {closest}",
    },
    "note_in_no_region": {
        "nb": "{name} ({code}) hører ikke til noen region",
        "nn": "{name} ({code}) høyrer ikkje til nokon region",
        "en": "{name} ({code}) belongs to no region",
    },
    "note_dissolved": {
        "nb": "{name} ({code}) finnes ikke lenger; omkodingen fra 2020: {parts}; {effect}; "
        "lærerårsverkene følger andelene i omkodingen",
        "nn": "{name} ({code}) finst ikkje lenger; omkodinga frå 2020: {parts}; {effect}; "
        "lærarårsverka følgjer delane i omkodinga",
        "en": "{name} ({code}) no longer exists; 2020 crosswalk: {parts}; {effect}; its "
        "teacher FTEs follow the crosswalk shares",
    },
    "note_dissolved_listed": {
        "nb": "{name} ({code}) finnes ikke lenger; omkodingen fra 2020: {parts}; {effect}; "
        "allerede oppført: {listed}; lærerårsverkene følger andelene i omkodingen",
        "nn": "{name} ({code}) finst ikkje lenger; omkodinga frå 2020: {parts}; {effect}; "
        "alt oppført: {listed}; lærarårsverka følgjer delane i omkodinga",
        "en": "{name} ({code}) no longer exists; 2020 crosswalk: {parts}; {effect}; already "
        "listed: {listed}; its teacher FTEs follow the crosswalk shares",
    },
    "part_crosswalk": {
        "nb": "{name} {code} (andel {share:.3f})",
        "nn": "{name} {code} (del {share:.3f})",
        "en": "{name} {code} (share {share:.3f})",
    },
    "part_listed_in": {
        "nb": "{name} i {regions}",
        "nn": "{name} i {regions}",
        "en": "{name} in {regions}",
    },
    "effect_adds": {
        "nb": "legger {names} til region {region}",
        "nn": "legg {names} til region {region}",
        "en": "adds {names} to region {region}",
    },
    "effect_none": {
        "nb": "gir ingen ny kommune i regionen",
        "nn": "gir ingen ny kommune i regionen",
        "en": "membership adds no new municipality",
    },
    "word_and": {"nb": " og ", "nn": " og ", "en": " and "},
    # the county model
    "note_assigned": {
        "nb": "{name} ({code}) er ikke i noen region i kilden; lagt til {region}",
        "nn": "{name} ({code}) er ikkje i nokon region i kjelda; lagd til {region}",
        "en": "{name} ({code}) is in no region of the source; assigned to {region}",
    },
    "note_assigned_because": {
        "nb": "{name} ({code}) er ikke i noen region i kilden; lagt til {region} ({reason})",
        "nn": "{name} ({code}) er ikkje i nokon region i kjelda; lagd til {region} ({reason})",
        "en": "{name} ({code}) is in no region of the source; assigned to {region} ({reason})",
    },
    "note_fte_file": {
        "nb": "Lærerårsverk fra {path} ({format}; {dialect}).",
        "nn": "Lærarårsverk frå {path} ({format}; {dialect}).",
        "en": "Teacher FTEs from {path} ({format}; {dialect}).",
    },
    "note_fte_file_as_given": {
        "nb": "Tallene i {path} brukes slik de er: exclude_private skalerer bare de medfølgende "
        "tallene, så friskolene telles med i den grad filen tar dem med.",
        "nn": "Tala i {path} vert brukte slik dei er: exclude_private skalerer berre dei "
        "medfølgjande tala, så friskulane vert talde med i den grad fila tek dei med.",
        "en": "The figures of {path} are used as given: exclude_private rescales only bundled "
        "figures, so private schools count as far as the file includes them.",
    },
    "note_fte_missing_bundled": {
        "nb": "{n} kommuner er ikke med i {path}; de medfølgende tallene brukes for dem "
        '(owners.fte_missing = "bundled"), hver merket: {names}.',
        "nn": "{n} kommunar er ikkje med i {path}; dei medfølgjande tala vert brukte for dei "
        '(owners.fte_missing = "bundled"), kvar merkt: {names}.',
        "en": "{n} municipalities are not in {path}; their bundled figures are used "
        '(owners.fte_missing = "bundled"), each flagged: {names}.',
    },
    "note_fte_missing_bundled_one": {
        "nb": "1 kommune er ikke med i {path}; det medfølgende tallet brukes for den "
        '(owners.fte_missing = "bundled"), merket: {names}.',
        "nn": "1 kommune er ikkje med i {path}; det medfølgjande talet vert brukt for han "
        '(owners.fte_missing = "bundled"), merkt: {names}.',
        "en": "1 municipality is not in {path}; its bundled figure is used "
        '(owners.fte_missing = "bundled"), flagged: {names}.',
    },
    "note_travel_unavailable": {
        "nb": "Reiseavstanden til partnerne er ukjent: det er ikke oppgitt noe sted for "
        "{partners}. Avstander, reiseindikatorene og reiseleddet i målfunksjonen er utelatt (ikke "
        "målt til et oppdiktet sted); oppgi kommunenummeret til studiestedet i partners.extra "
        "eller partners.extra_csv for å måle dem.",
        "nn": "Reiseavstanden til partnarane er ukjend: det er ikkje oppgitt nokon stad for "
        "{partners}. Avstandar, reiseindikatorane og reiseleddet i målfunksjonen er utelatne "
        "(ikkje målte til ein oppdikta stad); oppgi kommunenummeret til studiestaden i "
        "partners.extra eller partners.extra_csv for å måle dei.",
        "en": "Travel to partners is unavailable: no place is known for {partners}. Distances, "
        "the travel metrics and the objective's travel term are left out (not measured to a "
        "made-up place); give the campus municipality (kommunenummer) in partners.extra or "
        "partners.extra_csv to measure them.",
    },
    "note_kindergarten_school_key": {
        "nb": "Ingen fil med årsverk i barnehagene er gitt: barnehagedelen fordeles etter "
        "skolenøkkelen (lærerårsverk).",
        "nn": "Inga fil med årsverk i barnehagane er gitt: barnehagedelen blir fordelt etter "
        "skulenøkkelen (lærarårsverk).",
        "en": "No kindergarten staff file (owners.kindergarten_fte): the kindergarten part is "
        "shared by the school key (teacher FTEs).",
    },
    "note_kindergarten_staff_key": {
        "nb": "Årsverk i barnehagene fra {path} er nøkkelen for barnehagedelen; skoledelen "
        "fordeles etter lærerårsverk.",
        "nn": "Årsverk i barnehagane frå {path} er nøkkelen for barnehagedelen; skuledelen "
        "blir fordelt etter lærarårsverk.",
        "en": "Kindergarten staff from {path} are the key of the kindergarten part; the school "
        "part is shared by teacher FTEs.",
    },
    "note_kindergarten_none": {
        "nb": "Eiere uten tall i {path} har ingen årsverk i barnehager og får ingen "
        "barnehagemidler: {names}.",
        "nn": "Eigarar utan tal i {path} har ingen årsverk i barnehagar og får ingen "
        "barnehagemidlar: {names}.",
        "en": "Owners without a figure in {path} have no kindergarten staff and get no "
        "kindergarten funds: {names}.",
    },
    "note_needs_partial": {
        "nb": "R11: region {region}, tema «{theme}»: behovene som {reported} meldte i {path}, "
        "er ikke noe tak for regionen, fordi {missing} ikke meldte noe behov; en regions "
        "behov teller bare når alle eierne i regionen som deltar, har meldt behov.",
        "nn": "R11: region {region}, tema «{theme}»: behova som {reported} melde i {path}, "
        "er ikkje noko tak for regionen, fordi {missing} ikkje melde noko behov; behovet til "
        "ein region tel berre når alle eigarane i regionen som er med, har meldt behov.",
        "en": "R11: region {region}, theme '{theme}': the needs {reported} reported in {path} "
        "do not cap the region, because {missing} reported none; a region's need counts only "
        "when every taking-part owner of the region reports one.",
    },
    "note_imputed_count": {
        "nb": "{n} av {total} tall for lærerårsverk er anslått: {names}",
        "nn": "{n} av {total} tal for lærarårsverk er anslåtte: {names}",
        "en": "{n} of {total} teacher-FTE figures are imputed: {names}",
    },
    # a rounding unit that is coarse against the smallest region's key amount
    "note_rounding_unit_coarse": {
        "nb": "Avrundingsenheten (rules.rounding_unit_nok), {unit} kr, er {percent:.1f} % av "
        "nøkkelbeløpet til den minste regionen, {region} ({share:.2f} % av {budget} kr som "
        "fordeles i {year}, {amount} kr): i hele enheter kan regionen få opptil én enhet mer "
        "eller mindre enn nøkkelen.",
        "nn": "Avrundingseininga (rules.rounding_unit_nok), {unit} kr, er {percent:.1f} % av "
        "nøkkelbeløpet til den minste regionen, {region} ({share:.2f} % av {budget} kr som vert "
        "fordelte i {year}, {amount} kr): i heile einingar kan regionen få opptil éi eining meir "
        "eller mindre enn nøkkelen.",
        "en": "The rounding unit (rules.rounding_unit_nok), {unit} kr, is {percent:.1f} % of "
        "the key amount of the smallest region, {region} ({share:.2f} % of the {budget} kr "
        "distributed in {year}, {amount} kr): in whole units the region may get up to one unit "
        "more or less than its key.",
    },
    # the proposal's own findings
    "note_rounding_remainder": {
        "nb": "Beløpet som fordeles, {budget}\u00a0kr, er ikke et multiplum av "
        "avrundingsenheten ({unit}\u00a0kr): de {remainder}\u00a0kronene som blir til overs, "
        "er lagt til ett beløp, {recipient} i {region} ({theme}, {sector}), som derfor er "
        "{amount}\u00a0kr. Alle andre beløp er multipler av {unit}\u00a0kr.",
        "nn": "Beløpet som vert fordelt, {budget}\u00a0kr, er ikkje eit multiplum av "
        "avrundingseininga ({unit}\u00a0kr): dei {remainder}\u00a0kronene som vert til overs, "
        "er lagde til eitt beløp, {recipient} i {region} ({theme}, {sector}), som difor er "
        "{amount}\u00a0kr. Alle andre beløp er multiplar av {unit}\u00a0kr.",
        "en": "The amount to distribute, {budget}\u00a0kr, is not a multiple of the rounding "
        "unit ({unit}\u00a0kr): the {remainder}\u00a0kr left over are added to one amount, "
        "{recipient} in {region} ({theme}, {sector}), which is therefore {amount}\u00a0kr. "
        "Every other amount is a multiple of {unit}\u00a0kr.",
    },
    # why a metric of a sensitivity run has no Sobol indices
    "sens_undefined_all": {
        "nb": "udefinert i alle kjøringer: {when}",
        "nn": "udefinert i alle køyringar: {when}",
        "en": "undefined in every run: {when}",
    },
    "sens_undefined_some": {
        "nb": "udefinert i {n} av {runs} kjøringer, der {when}; Sobol-indekser trenger en verdi "
        "i hver kjøring ({narrow})",
        "nn": "udefinert i {n} av {runs} køyringar, der {when}; Sobol-indeksar treng ein verdi "
        "i kvar køyring ({narrow})",
        "en": "undefined in {n} of {runs} runs, where {when}; Sobol indices need a value in "
        "every run ({narrow})",
    },
    "sens_undefined_negative_net": {
        "nb": "udefinert i {n} av {runs} kjøringer, hver med en eier med netto midler per "
        "årsverk under 0 (reise- og koordineringskostnader over midlene), der Theils T (ln x) "
        "er udefinert; Sobol-indekser trenger en verdi i hver kjøring ({narrow})",
        "nn": "udefinert i {n} av {runs} køyringar, kvar med ein eigar med netto midlar per "
        "årsverk under 0 (reise- og koordineringskostnader over midlane), der Theils T (ln x) "
        "er udefinert; Sobol-indeksar treng ein verdi i kvar køyring ({narrow})",
        "en": "undefined in {n} of {runs} runs, each with an owner's net funding per FTE below "
        "0 (travel and coordination costs above its funding), where Theil's T (ln x) is "
        "undefined; Sobol indices need a value in every run ({narrow})",
    },
    "sens_when_gini_net": {
        "nb": "snittet av netto midler per årsverk ikke er positivt",
        "nn": "snittet av netto midlar per årsverk ikkje er positivt",
        "en": "the mean net funding per FTE is not positive",
    },
    "sens_when_theil_net": {
        "nb": "en eier har netto midler per årsverk under 0, der Theils T (ln x) er udefinert",
        "nn": "ein eigar har netto midlar per årsverk under 0, der Theils T (ln x) er udefinert",
        "en": "an owner's net funding per FTE is below 0, where Theil's T (ln x) is undefined",
    },
    "sens_when_theil_net_between_share": {
        "nb": "en eier har netto midler per årsverk under 0, der Theils T (ln x) er udefinert, "
        "eller Theils T er 0",
        "nn": "ein eigar har netto midlar per årsverk under 0, der Theils T (ln x) er udefinert, "
        "eller Theils T er 0",
        "en": "an owner's net funding per FTE is below 0, where Theil's T (ln x) is undefined, "
        "or Theil's T is 0",
    },
    "sens_when_gap_small_large_net": {
        "nb": "ingen liten eller ingen stor eier deltar",
        "nn": "ingen liten eller ingen stor eigar er med",
        "en": "no small or no large owner takes part",
    },
    "sens_when_gap_private_public_net": {
        "nb": "ingen privat eller ingen kommunal eier deltar",
        "nn": "ingen privat eller ingen kommunal eigar er med",
        "en": "no private or no municipal owner takes part",
    },
    "sens_when_other": {
        "nb": "definisjonen ikke holder",
        "nn": "definisjonen ikkje held",
        "en": "its definition does not hold",
    },
    "sens_narrow_above": {
        "nb": "hver slik kjøring har {parameter} over {value}",
        "nn": "kvar slik køyring har {parameter} over {value}",
        "en": "each such run has {parameter} above {value}",
    },
    "sens_narrow_below": {
        "nb": "hver slik kjøring har {parameter} under {value}",
        "nn": "kvar slik køyring har {parameter} under {value}",
        "en": "each such run has {parameter} below {value}",
    },
    "sens_narrow_ranges": {
        "nb": "gjør områdene i [sensitivity] smalere",
        "nn": "gjer områda i [sensitivity] smalare",
        "en": "narrow the [sensitivity] ranges",
    },
    "sens_constant": {
        "nb": "det samme i alle kjøringer: ingen varians å fordele",
        "nn": "det same i alle køyringar: ingen varians å fordele",
        "en": "the same in every run: no variance to apportion",
    },
    "sens_rounding_noise": {
        "nb": "varierer ikke (spredning {spread}, under avrundingsstøyen fra hele kroner "
        "{noise}): ingen effekt å fordele",
        "nn": "varierer ikkje (spreiing {spread}, under avrundingsstøyen frå heile kroner "
        "{noise}): ingen effekt å fordele",
        "en": "does not vary (spread {spread}, below the whole-krone rounding noise {noise}): "
        "no effect to apportion",
    },
    "sens_no_run_solved": {
        "nb": "ingen kjøring ble løst (reglene kolliderer, se failures i sensitivity.json)",
        "nn": "ingen køyring vart løyst (reglane kolliderer, sjå failures i sensitivity.json)",
        "en": "no run solved (infeasible rules, see failures in sensitivity.json)",
    },
    "sens_not_solved": {
        "nb": "ikke løst i {n} av {runs} kjøringer (reglene kolliderer, se failures i "
        "sensitivity.json)",
        "nn": "ikkje løyst i {n} av {runs} køyringar (reglane kolliderer, sjå failures i "
        "sensitivity.json)",
        "en": "not solved in {n} of {runs} runs (infeasible rules, see failures in "
        "sensitivity.json)",
    },
    "sens_unreliable": {
        "nb": "upålitelig: øk --samples",
        "nn": "upåliteleg: auk --samples",
        "en": "unreliable: increase --samples",
    },
    # why a draw of a simulation has no allocation (besides the rules that clash)
    "sim_set_asides_take_all": {
        "nb": "avsetningene tar hele det trukne budsjettet",
        "nn": "avsetjingane tek heile det trekte budsjettet",
        "en": "the set-asides take the whole drawn budget",
    },
    "theme_general": {"nb": "generelt", "nn": "generelt", "en": "general"},
    "theme_special_ed": {
        "nb": "spesialpedagogikk og inkluderende praksis",
        "nn": "spesialpedagogikk og inkluderande praksis",
        "en": "special education and inclusive practice",
    },
    "sector_school": {"nb": "skole", "nn": "skule", "en": "school"},
    "sector_kindergarten": {"nb": "barnehage", "nn": "barnehage", "en": "kindergarten"},
    "note_regime_after": {
        "nb": "Ordningen «dekom» gjelder for årene til og med 2025, men scenarioet bruker den "
        "for {years}; fra 2026 gjelder «kollektiv-2026» (scenario.regime).",
        "nn": "Ordninga «dekom» gjeld for åra til og med 2025, men scenarioet brukar henne for "
        "{years}; frå 2026 gjeld «kollektiv-2026» (scenario.regime).",
        "en": "The dekom regime is for the years up to 2025, but the scenario runs it for "
        "{years}; from 2026 the regime is kollektiv-2026 (scenario.regime).",
    },
    "note_regime_before": {
        "nb": "Ordningen «kollektiv-2026» gjelder fra 2026, men scenarioet bruker den for "
        "{years}; til og med 2025 gjaldt «dekom» (scenario.regime).",
        "nn": "Ordninga «kollektiv-2026» gjeld frå 2026, men scenarioet brukar henne for "
        "{years}; til og med 2025 gjaldt «dekom» (scenario.regime).",
        "en": "The kollektiv-2026 regime applies from 2026, but the scenario runs it for "
        "{years}; up to 2025 the regime was dekom (scenario.regime).",
    },
    "note_extra_owner_alone": {
        "nb": "{name} ({id}) i owners.extra er alene i region {region}, som ingen annen eier "
        "hører til: den er en region for seg, med egen nøkkelandel og egne partnermidler. "
        "Hører den til en eksisterende region, skriv navnet på den ({closest}).",
        "nn": "{name} ({id}) i owners.extra er åleine i region {region}, som ingen annan eigar "
        "høyrer til: han er ein region for seg, med eigen nøkkeldel og eigne partnarmidlar. "
        "Høyrer han til ein eksisterande region, skriv namnet på han ({closest}).",
        "en": "{name} ({id}) of owners.extra is alone in region {region}, which no other owner "
        "is in: it is a region of its own, with a key share and funds of its own. If it "
        "belongs to an existing region, write that region's name ({closest}).",
    },
    "note_fte_imputed_rest": {
        "nb": "{county}: ingen lærerårsverk per kommune følger med; de {n} av {total} tallene "
        "som ikke er i {path}, er ANSLÅTT fra fylkessummene fra før 2020 (Skoleporten, "
        "{years}) fordelt etter folketallet i 2024.",
        "nn": "{county}: ingen lærarårsverk per kommune følgjer med; dei {n} av {total} tala "
        "som ikkje er i {path}, er ANSLÅTTE frå fylkessummane frå før 2020 (Skoleporten, "
        "{years}) fordelte etter folketalet i 2024.",
        "en": "{county}: no per-municipality teacher FTEs are bundled; the {n} of {total} values "
        "not in {path} are IMPUTED from the pre-2020 county totals (Skoleporten, {years}) "
        "shared by 2024 population.",
    },
    "note_fte_imputed_one": {
        "nb": "{county}: ingen lærerårsverk per kommune følger med; det ene av {total} tallene "
        "som ikke er i {path}, er ANSLÅTT fra fylkessummene fra før 2020 (Skoleporten, "
        "{years}) fordelt etter folketallet i 2024.",
        "nn": "{county}: ingen lærarårsverk per kommune følgjer med; det eine av {total} tala "
        "som ikkje er i {path}, er ANSLÅTT frå fylkessummane frå før 2020 (Skoleporten, "
        "{years}) fordelt etter folketalet i 2024.",
        "en": "{county}: no per-municipality teacher FTEs are bundled; the one of {total} values "
        "not in {path} is IMPUTED from the pre-2020 county totals (Skoleporten, {years}) "
        "shared by 2024 population.",
    },
    # the national split between the offices
    "national_bundled_fte": {
        "nb": "Lærerårsverk: Skoleporten-tallene «Årsverk for undervisningspersonale» som følger "
        "med, alle eiere, {year}, summert over fylkene fra før 2020 for hvert embete (avledet); "
        "ikke statistikkportalens serie «Antall lærerårsverk».",
        "nn": "Lærarårsverk: Skoleporten-tala «Årsverk for undervisningspersonale» som følgjer "
        "med, alle eigarar, {year}, summerte over fylka frå før 2020 for kvart embete (avleidd); "
        "ikkje serien «Antall lærerårsverk» i statistikkportalen.",
        "en": "Teacher FTEs: bundled Skoleporten 'Årsverk for undervisningspersonale', all "
        "owners, {year}, summed over the pre-2020 counties of each office (derived); not the "
        "statistikkportalen series 'Antall lærerårsverk'.",
    },
    "national_moved_units": {
        "nb": "Kommuner som skiftet fylke i 2020 (Jevnaker, Lunner, Svelvik, Hornindal, "
        "Tjeldsund) telles med embetet de hørte til før 2020.",
        "nn": "Kommunar som skifte fylke i 2020 (Jevnaker, Lunner, Svelvik, Hornindal, "
        "Tjeldsund) vert talde med embetet dei høyrde til før 2020.",
        "en": "Units that changed county in 2020 (Jevnaker, Lunner, Svelvik, Hornindal, "
        "Tjeldsund) count with their pre-2020 office.",
    },
    "national_export": {
        "nb": "Lærerårsverk: «{indicator}» {year} fra {path} (fylkesradene summert per embete).",
        "nn": "Lærarårsverk: «{indicator}» {year} frå {path} (fylkesradene summerte per embete).",
        "en": "Teacher FTEs: '{indicator}' {year} from {path} (county rows summed per office).",
    },
    "national_table": {
        "nb": "Lærerårsverk fra {path}, {year} ({rows} rader).",
        "nn": "Lærarårsverk frå {path}, {year} ({rows} rader).",
        "en": "Teacher FTEs from {path}, {year} ({rows} rows).",
    },
    "national_table_summed": {
        "nb": "Lærerårsverk fra {path}, {year} ({rows} rader, summert per embete).",
        "nn": "Lærarårsverk frå {path}, {year} ({rows} rader, summerte per embete).",
        "en": "Teacher FTEs from {path}, {year} ({rows} rows, summed per office).",
    },
    "year_not_stated": {
        "nb": "skoleåret er ikke oppgitt",
        "nn": "skuleåret er ikkje oppgitt",
        "en": "school year not stated",
    },
    "national_rule": {
        "nb": "Fordelt bare etter lærerårsverk (regelen fra 2017, «basert på antall "
        "lærerårsverk»).",
        "nn": "Fordelt berre etter lærarårsverk (regelen frå 2017, «basert på antall "
        "lærerårsverk»).",
        "en": "Split by teacher FTE alone (the 2017 rule, 'basert på antall lærerårsverk').",
    },
    # input files
    "input_file": {
        "nb": "{key}: {path} ({format}, {dialect}; {rows} rader; SHA-256 {sha256})",
        "nn": "{key}: {path} ({format}, {dialect}; {rows} rader; SHA-256 {sha256})",
        "en": "{key}: {path} ({format}, {dialect}; {rows} rows; sha256 {sha256})",
    },
    "note_previous_replaced": {
        "nb": "Fjorårets beløp kommer fra --previous {given}; scenarioets budget.previous "
        "({file}) brukes ikke.",
        "nn": "Fjorårsbeløpa kjem frå --previous {given}; budget.previous i scenarioet ({file}) "
        "vert ikkje brukt.",
        "en": "Last year's amounts come from --previous {given}; the scenario's budget.previous "
        "({file}) is not used.",
    },
    "note_previous_given": {
        "nb": "Fjorårets beløp for {year} (stabilitetsregelen R10 og endringen fra i fjor) er "
        "gitt av den som kalte, ikke lest fra en fil.",
        "nn": "Fjorårsbeløpa for {year} (stabilitetsregelen R10 og endringa frå i fjor) er gjevne "
        "av den som kalla, ikkje lesne frå ei fil.",
        "en": "Last year's amounts for {year} (the stability rule R10 and the change from last "
        "year) are given by the caller, not a file.",
    },
    "note_previous_plan": {
        "nb": "Fjorårets beløp for {year} (stabilitetsregelen R10 og endringen fra i fjor) er "
        "forslaget for {previous_year} i denne planen, ikke en fil.",
        "nn": "Fjorårsbeløpa for {year} (stabilitetsregelen R10 og endringa frå i fjor) er "
        "forslaget for {previous_year} i denne planen, ikkje ei fil.",
        "en": "Last year's amounts for {year} (the stability rule R10 and the change from last "
        "year) are the {previous_year} proposal of this plan, not a file.",
    },
    "note_input_file": {
        "nb": "Inndatafil {file}",
        "nn": "Inndatafil {file}",
        "en": "Input file {file}",
    },
    "file_codes_padded": {
        "nb": "kommunenummer med 3 sifre (en ledende null mistet i Excel) fylt ut",
        "nn": "kommunenummer med 3 siffer (ei leiande null mist i Excel) fylte ut",
        "en": "3-digit municipality codes (a leading zero lost in Excel) padded",
    },
    "file_other_county": {
        "nb": "1 kommune i et annet fylke er ikke brukt",
        "nn": "1 kommune i eit anna fylke er ikkje brukt",
        "en": "1 municipality of another county not used",
    },
    "file_other_counties": {
        "nb": "{n} kommuner i andre fylker er ikke brukt",
        "nn": "{n} kommunar i andre fylke er ikkje brukte",
        "en": "{n} municipalities of other counties not used",
    },
    # how a file was read (parts of a dialect)
    "dialect_comma-separated": {
        "nb": "kommaseparert",
        "nn": "kommaseparert",
        "en": "comma-separated",
    },
    "dialect_semicolon-separated": {
        "nb": "semikolonseparert",
        "nn": "semikolonseparert",
        "en": "semicolon-separated",
    },
    "dialect_tab-separated": {
        "nb": "tabulatorseparert",
        "nn": "tabulatorseparert",
        "en": "tab-separated",
    },
    "dialect_decimal point": {
        "nb": "desimalpunktum",
        "nn": "desimalpunktum",
        "en": "decimal point",
    },
    "dialect_decimal comma": {"nb": "desimalkomma", "nn": "desimalkomma", "en": "decimal comma"},
    "dialect_UTF-8 with BOM": {
        "nb": "UTF-8 med BOM",
        "nn": "UTF-8 med BOM",
        "en": "UTF-8 with BOM",
    },
    "dialect_UTF-16 without BOM": {
        "nb": "UTF-16 uten BOM",
        "nn": "UTF-16 utan BOM",
        "en": "UTF-16 without BOM",
    },
    "dialect_CRLF line ends": {
        "nb": "CRLF-linjeskift",
        "nn": "CRLF-linjeskift",
        "en": "CRLF line ends",
    },
    "dialect_sep= line": {"nb": "sep=-linje", "nn": "sep=-linje", "en": "sep= line"},
    "dialect_sheet": {"nb": "ark {sheet}", "nn": "ark {sheet}", "en": "sheet {sheet}"},
    "dialect_cells as stored": {
        "nb": "cellene slik de er lagret",
        "nn": "cellene slik dei er lagra",
        "en": "cells as stored",
    },
}
"""Every note's text in bokmål, nynorsk and English; all three take the same fields."""

_SPEC = re.compile(r"^(#?)\.(\d+)f$")


class _PackageNumbers(string.Formatter):
    """``str.format`` with numbers in the package's format (:mod:`dekomopt.formats`): a
    template's ``.Nf`` shows up to N decimals (no trailing zeros: ``1``, ``0,865``), ``#.Nf``
    exactly N (``10,860``), a whole number is grouped, another float shows up to 6 decimals."""

    def format_field(self, value: object, format_spec: str) -> str:
        if isinstance(value, bool) or not isinstance(value, Real):
            return format(value, format_spec)
        fixed = _SPEC.match(format_spec)
        if fixed is not None:
            if fixed[1]:
                return format_number(value, int(fixed[2]))
            return format_decimal(value, int(fixed[2]))
        if isinstance(value, Integral):
            return format_number(value)
        return format_decimal(value, 6)


_PACKAGE_NUMBERS = _PackageNumbers()


def message_fields(template: str) -> frozenset[str]:
    """The field names a template takes."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


def _shown(value: FieldValue, lang: str) -> object:
    """A field ready for a template: text of another note in ``lang``; strings and numbers as
    they are."""
    if isinstance(value, Localised):
        return value.in_language(lang)
    return value


@dataclass(frozen=True)
class Note:
    """One finding: message ``message_id`` of :data:`NOTE_MESSAGES` with ``fields`` filled in.

    Made with an unknown id or with other fields than the message takes, it raises
    ``ValueError``. Notes with the same id and fields are equal (and hash alike).
    """

    message_id: str
    fields: Mapping[str, FieldValue] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.message_id not in NOTE_MESSAGES:
            raise ValueError(f"unknown note message {self.message_id!r}")
        wanted = message_fields(NOTE_MESSAGES[self.message_id]["en"])
        if set(self.fields) != wanted:
            raise ValueError(
                f"note {self.message_id!r} takes fields {sorted(wanted)}, got {sorted(self.fields)}"
            )
        object.__setattr__(self, "fields", dict(self.fields))

    def __hash__(self) -> int:
        return hash((self.message_id, tuple(sorted(self.fields.items()))))

    def __str__(self) -> str:
        """The English text: :meth:`in_language` ``("en")``."""
        return self.in_language("en")

    def in_language(self, lang: str) -> str:
        """The text in ``lang`` (nb, nn or en), numbers in the package's format."""
        values = {name: _shown(value, lang) for name, value in self.fields.items()}
        return _PACKAGE_NUMBERS.format(NOTE_MESSAGES[self.message_id][lang], **values)


def note(message_id: str, **fields: FieldValue) -> Note:
    """``Note(message_id, fields)``."""
    return Note(message_id, fields)


ENTRY_WORDS: dict[str, Note] = {
    "general": note("theme_general"),
    "special_ed": note("theme_special_ed"),
    "school": note("sector_school"),
    "kindergarten": note("sector_kindergarten"),
}
"""A theme's or sector's id (``general``, ``kindergarten``) as words in the reader's language."""


_SHEET = re.compile(r"^sheet (?P<sheet>'.*')$")


@dataclass(frozen=True)
class Dialect:
    """How an input file was read (:attr:`~dekomopt.scenario.files.InputFile.dialect`: parts
    such as ``semicolon-separated`` or ``sheet 'Ark1'`` joined by ``, `` or ``; ``), shown per
    language; a part of no known wording as written."""

    text: str

    def __str__(self) -> str:
        return self.text

    def in_language(self, lang: str) -> str:
        out = []
        for group in self.text.split("; "):
            parts = []
            for part in group.split(", "):
                sheet = _SHEET.match(part)
                if sheet:
                    parts.append(note("dialect_sheet", sheet=sheet["sheet"]).in_language(lang))
                elif f"dialect_{part}" in NOTE_MESSAGES:
                    parts.append(NOTE_MESSAGES[f"dialect_{part}"][lang])
                else:
                    parts.append(part)
            out.append(", ".join(parts))
        return "; ".join(out)


@dataclass(frozen=True)
class Joined:
    """Several texts (notes or plain strings) shown as one, joined by ``separator`` (itself a
    note when it is a word, such as ``word_and``)."""

    items: tuple[FieldValue, ...]
    separator: str | Note = ", "

    def __str__(self) -> str:
        return self.in_language("en")

    def in_language(self, lang: str) -> str:
        separator = _shown(self.separator, lang)
        return str(separator).join(
            _PACKAGE_NUMBERS.format("{0}", _shown(item, lang)) for item in self.items
        )
