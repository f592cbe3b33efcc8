"""Vooruitblik: waiting lists by pressure, a chosen list's backtest, forecast and what-if, norms on one basis."""

import streamlit as st

from dashboard import charts, components, labels, queries
from dashboard.filters import current, keuzelijst, schuif
from dashboard.format import datum, getal, procent, weken
from dashboard.views.common import empty, page_header

f = current()
DATASET = queries.VB_DATASET
page_header(
    "Vooruitblik",
    "Welke wachtlijsten staan het meest onder druk, hoe ontwikkelen ze zich het komende jaar, en wat "
    "verandert er als de capaciteit of de instroom verandert?",
)

lijsten = queries.vooruitblik_lijsten(f)
components.table_block(
    "Wachtlijsten naar druk",
    lijsten,
    anchor="wachtrij-kengetallen",
    key="vb_lijsten",
    dataset=DATASET,
    labels=labels.VOORUITBLIK_LIJSTEN,
    caption="Per wachtlijst (aanbieder × productcategorie × niveau), hoogste druk eerst. Vraag, capaciteit en "
    "afvallers per week: gemiddelde van de laatste 26 weken. Verwachte wachttijd bij aanmelden vandaag: "
    "Kaplan–Meier over de laatste 52 weken, met 80%-interval; leeg als minder dan de helft (of 90 %) binnen de "
    "langste waargenomen wachttijd startte.",
)

verwachting = queries.vooruitblik_verwachting(f)
components.table_block(
    "Verwachte wachttijd bij aanmelden vandaag, naast wat de aanbieder publiceert",
    verwachting,
    anchor="actualiteit-en-publicatie",
    key="vb_verwachting",
    dataset=DATASET,
    labels=labels.VOORUITBLIK_VERWACHTING,
    caption=f"Berekend uit de gegevens van de regio tot de peildatum ({datum(queries.build_kenmerken().peildatum)}): "
    "Kaplan–Meier over de wachttijden van de laatste 52 weken. Waar de aanbieder zelf wachttijden publiceert, "
    "staat het laatst gepubliceerde cijfer ernaast (aanmeldingswachttijd bij intake, behandelingswachttijd bij "
    "behandeling) met de datum waarop het gold. Laatste gegevens: de recentste aanmelding, start of afmelding "
    "in de gegevens; de opmerking zegt waar gegevens van een aanbieder ontbreken.",
)

if not queries.vooruitblik_publicatie_zichtbaar():
    st.caption(
        "Waar aanbieders een schuilnaam hebben (leersessie-modus, of uw rol), tonen we de gepubliceerde "
        "wachttijden niet: een openbaar cijfer met zijn datum naast "
        "een schuilnaam zou de aanbieder herkenbaar maken."
    )

keuzes = queries.vooruitblik_keuzes(f)
if not keuzes:
    empty("Geen wachtlijsten bij deze filters met genoeg kinderen voor een vooruitblik.")
    st.stop()

lijst = keuzelijst("Wachtlijst", list(keuzes), "vb_lijst", format_func=keuzes.get, placeholder=labels.KIES)
rij = queries.vooruitblik_lijst(lijst, f)

# 1. the backtest comes before the future: how good was this forecast in the past?
reeks = queries.vooruitblik_backtest_reeks(lijst)
terug = queries.vooruitblik_backtest(lijst)
components.chart_block(
    "Terugblik: hoe goed was de prognose?",
    charts.vb_backtest(reeks),
    reeks,
    anchor="backtest",
    key=f"vb_backtest_{lijst}",
    dataset=DATASET,
    labels=labels.VOORUITBLIK_BACKTEST,
    caption="Dezelfde prognose, gemaakt 6 en 12 maanden geleden met alleen de gegevens van toen, naast wat er "
    "werkelijk gebeurde (zwarte lijn). De band is het 80%-interval.",
)
kolommen = st.columns(4)
for i, r in enumerate(terug.iter_rows(named=True)):
    components.kpi(kolommen[2 * i], f"Afwijking ({r['maanden_terug']} mnd terug)", r["mae"], fmt=getal)
    components.kpi(
        kolommen[2 * i + 1], f"Binnen de band ({r['maanden_terug']} mnd terug)", r["dekking"], fmt=procent
    )
if any(terug["is_slecht"].drop_nulls().to_list()):
    st.warning(
        "Deze prognose was slecht: in het verleden lag de werkelijke wachtlijst te vaak buiten de band of week "
        "de mediaan meer af dan 'alles blijft gelijk'. Lees de prognose hieronder als een grove richting.",
        icon=":material/warning:",
    )

# 2. the forecast when nothing changes
basis = queries.vooruitblik_basisprognose(lijst)
components.chart_block(
    "Prognose voor 52 weken",
    charts.vb_prognose(basis, rij.doel_wachtrij),
    basis,
    anchor="prognose",
    key=f"vb_prognose_{lijst}",
    dataset=DATASET,
    labels=labels.VOORUITBLIK_PROGNOSE,
    caption="Mediaan en 80%-band van 200 gesimuleerde jaren met de instroom, starts en afvallers van het "
    "afgelopen jaar (met het seizoenspatroon); rode stippellijn: de doelwachtrij bij de norm.",
)

# 3. what if
st.markdown(
    "**Wat als** — de instellingen staan in de link: deel de link en de ander ziet hetzelfde scenario."
)
c1, c2, c3 = st.columns(3)
with c1:
    capaciteit = schuif("Capaciteit (%)", "vb_capaciteit", format_func=lambda v: f"{int(v):+d} %")
with c2:
    instroom = schuif("Instroom (%)", "vb_instroom", format_func=lambda v: f"{int(v):+d} %")
with c3:
    norm = schuif("Andere norm (weken)", "vb_norm", format_func=lambda v: v or "huidige norm")
c4, c5, c6, c7 = st.columns(4)
with c4:
    extra = schuif("Eenmalig extra starts per week", "vb_extra")
with c5:
    extra_weken = schuif("Eenmalig extra: aantal weken", "vb_extra_weken")
with c6:
    langst = schuif("Extra starts voor de langst wachtenden per week", "vb_langst")
with c7:
    langst_weken = schuif("Langst wachtenden: aantal weken", "vb_langst_weken")
scenario = queries.vooruitblik_scenario(
    lijst,
    capaciteit_procent=float(capaciteit),
    instroom_procent=float(instroom),
    eenmalig_per_week=float(extra),
    eenmalig_weken=int(extra_weken),
    langst_per_week=float(langst),
    langst_weken=int(langst_weken),
    norm_weken=float(norm) if norm else None,
)
norm_weken = float(norm) if norm else rij.norm_weken
prognose = queries.vooruitblik_prognose(lijst, scenario)
effect = queries.vooruitblik_effect(lijst, scenario)
kaarten = iter(st.columns(4))
for h in (26, 52):
    basiswaarde, scenariowaarde = effect.wachtrij[h]
    components.kpi(next(kaarten), f"Wachtrij over {h} weken: basis", basiswaarde, fmt=getal)
    components.kpi(next(kaarten), f"Wachtrij over {h} weken: wat als", scenariowaarde, fmt=getal)
components.chart_block(
    "Wat als: wachtrij en wachttijd tegen de basis",
    charts.vb_prognose(prognose, rij.doel_wachtrij),
    prognose,
    anchor="wat-als",
    key=f"vb_wat_als_{lijst}",
    dataset=DATASET,
    labels=labels.VOORUITBLIK_PROGNOSE,
    caption="Basis en scenario met dezelfde toevalsgetallen: het verschil is het effect van het scenario, "
    "niet van het toeval. Extra capaciteit bij aanmelding of intake schuift de wachtrij door naar de "
    "volgende stap van dezelfde aanbieder.",
)
components.chart_block(
    "Verwachte wachttijd: wat als tegen de basis",
    charts.vb_wachttijd(prognose, norm_weken),
    prognose,
    anchor="wat-als",
    key=f"vb_wachttijd_{lijst}",
    dataset=DATASET,
    labels=labels.VOORUITBLIK_PROGNOSE,
    caption="Wachtrij gedeeld door de verwachte starts en afvallers per week (wet van Little): hoe lang het "
    "duurt om de wachtrij van die week weg te werken.",
)
leeftijden = queries.vooruitblik_leeftijden(lijst, scenario, norm_weken or 1.0)
components.table_block(
    "Wie het langst wacht: wat als",
    leeftijden,
    anchor="wat-als",
    key=f"vb_leeftijden_{lijst}",
    dataset=DATASET,
    labels=labels.VOORUITBLIK_LEEFTIJDEN,
    caption="Verwachte wachttijden van wie nog wacht na 13, 26 en 52 weken. Extra starts voor de langst "
    "wachtenden verkorten vooral de staart.",
)

# 4. norms on one basis
normen = queries.vooruitblik_normen(rij.vraag_per_week)
components.chart_block(
    "Normen op één noemer",
    charts.vb_normen(normen, rij.gemiddelde_wachttijd_weken),
    normen,
    anchor="norm-equivalentie",
    key=f"vb_normen_{lijst}",
    dataset=DATASET,
    labels=labels.VOORUITBLIK_NORMEN,
    caption="Elke norm omgerekend naar de gemiddelde wachttijd die erbij past en, bij de vraag van deze "
    "wachtlijst, de wachtlijst die erbij past. Oranje stippellijn: hoe lang wie nu wacht gemiddeld al wacht "
    f"({weken(queries.vooruitblik_dagen(rij.gemiddelde_wachttijd_weken))}).",
)

# 5. the caseload link: a team's band -> the starts per week it can absorb
team_namen = queries.vooruitblik_team_namen(f)
if team_namen:
    t1, t2 = st.columns(2)
    with t1:
        team = keuzelijst(
            "Team", list(team_namen), "vb_team", format_func=team_namen.get, placeholder=labels.KIES
        )
    with t2:
        band = schuif(
            "Casussen per fte (bovengrens band)", "vb_band", format_func=lambda v: v or "huidige band"
        )
    caseload = queries.vooruitblik_caseload(team, float(band) if band else None, f)
    components.table_block(
        "Caseload en capaciteit van een team",
        caseload,
        anchor="caseload-capaciteit",
        key=f"vb_caseload_{team}",
        dataset=queries.VB_TEAMS,
        labels=labels.VOORUITBLIK_CASELOAD,
        caption="Starts per week die een team aankan = fte × casussen per fte ÷ gemiddelde duur van een casus. "
        "Een lagere band betekent minder starts per week: bij dezelfde vraag groeit de wachtlijst, tenzij er fte "
        "bij komt. Evenwicht, de band volledig benut en dezelfde duur: aannames, geen meting.",
    )
    st.info(
        "**Dit team-scenario verandert de wachtlijsten hierboven niet.** De gegevens leggen niet vast welke "
        "wachtlijst een team bedient: een team is geen aanbieder met een eigen wachtlijst. Kinderen uit de "
        "caseload van een team staan wel op wachtlijsten van aanbieders (het team verwijst of begeleidt), maar "
        "meer fte bij het team is geen extra capaciteit bij die aanbieder. Wat je hier ziet, is de doorstroom "
        "van het team zelf: hoeveel nieuwe casussen het per week kan aannemen. Voor het effect van meer of "
        "minder capaciteit op een wachtlijst: de schuif Capaciteit (%) bij Wat als.",
        icon=":material/info:",
    )
