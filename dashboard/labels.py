"""Dutch column headings for tables and CSV downloads (column -> heading; order = display order), and the
Dutch display names of the codes the data carries (signal types, load statuses, file kinds, caseload
statuses): the one home of every label a reader sees; format.format_table applies the value labels
(WAARDE_LABELS) to tables and downloads, queries apply them where a chart draws the value.

Every heading dict of monthly data ends with `voorlopig` (ja/nee, docs/definitions.md#voorlopig), so each
CSV of monthly figures says which months are still voorlopig.
"""

from typing import Literal

KIES = "Kies een optie"  # the placeholder of every selectbox (Streamlit's own is English)

VOORLOPIG = {"voorlopig": "Voorlopig"}

WACHTEN_PER_NIVEAU = {
    "niveau_label": "Niveau",
    "n_afgerond": "Afgerond (n)",
    "mediaan_dagen": "Mediaan (dagen)",
    "p92_dagen": "p92 (dagen)",
    "aandeel_binnen_norm": "Binnen norm",
    "n_wachtend": "Nog wachtend (n)",
    "n_kinderen_wachtend": "Unieke kinderen wachtend",
    "mediaan_wachtend_dagen": "Mediaan nog wachtend (dagen)",
    "p92_wachtend_dagen": "p92 nog wachtend (dagen)",
    "langste_wachtend_dagen": "Langst wachtend (dagen)",
    "n_wachtend_boven_norm": "Wachtend boven norm (n)",
}
STROMEN = {
    "maand": "Maand",
    "instroom": "Instroom",
    "instroom_unieke_kinderen": "Instroom unieke kinderen",
    "in_zorg": "In zorg",
    "uitstroom": "Uitstroom",
    "uitstroom_volgens_plan": "Uitstroom volgens plan",
    "uitstroom_voortijdig": "Uitstroom voortijdig",
    "uitstroom_overig": "Uitstroom overig",
    "uitstroom_zonder_stopbericht": "Uitstroom zonder stopbericht",
    "opschaling": "Opschaling",
    "afschaling": "Afschaling",
    "stapeling": "Stapeling",
    "herinstroom": "Herinstroom",
    "overgang_18": "18 geworden in zorg",
    **VOORLOPIG,
}
STROMEN_KERN = {k: STROMEN[k] for k in ("maand", "instroom", "in_zorg", "uitstroom", "voorlopig")}
UITSTROOM = {k: v for k, v in STROMEN.items() if k in ("maand", "voorlopig") or k.startswith("uitstroom_")}
DOORSTROOM = {
    k: STROMEN[k]
    for k in ("maand", "opschaling", "afschaling", "stapeling", "herinstroom", "overgang_18", "voorlopig")
}
STROMEN_PER_GEMEENTE = {
    "gemeente": "Gemeente",
    "instroom": "Instroom",
    "uitstroom": "Uitstroom",
    "in_zorg_eind": "In zorg (eind periode)",
}
ROUTES = {
    "verwijzer": "Verwijzer",
    "categorie": "Productcategorie",
    "afloop": "Afloop",
    "trajecten": "Trajecten",
    "kinderen": "Kinderen",
}
WACHTTIJDEN_PER_AANBIEDER = {
    "aanbieder": "Aanbieder",
    "categorie": "Productcategorie",
    "n_afgerond": "Afgerond (n)",
    "n_kinderen_afgerond": "Kinderen afgerond",
    "mediaan_dagen": "Mediaan (dagen)",
    "p92_dagen": "p92 (dagen)",
    "n_wachtend": "Nog wachtend (registraties)",
    "n_kinderen_wachtend": "Nog wachtend (unieke kinderen)",
    "mediaan_wachtend_dagen": "Mediaan nog wachtend (dagen)",
    "langste_wachtend_dagen": "Langst wachtend (dagen)",
}
WACHTTIJDEN_TREND = {  # weeks, as the chart (queries.wachttijden_trend)
    "maand": "Maand",
    "n_afgerond": "Afgerond (n)",
    "mediaan_weken": "Mediaan afgerond (weken)",
    "p92_weken": "p92 afgerond (weken)",
    "n_wachtend": "Nog wachtend (n)",
    "n_kinderen_wachtend": "Unieke kinderen wachtend",
    "mediaan_wachtend_weken": "Mediaan nog wachtend (weken)",
    **VOORLOPIG,
}
VERDELING = {"soort": "Soort", "klasse": "Weken gewacht", "aantal": "Aantal"}
RANGORDE = {
    "naam": "Naam",
    "aandeel_binnen_norm": "Aandeel binnen norm",
    "mediaan_dagen": "Mediaan (dagen)",
    "n_afgerond": "Afgerond (n)",
    "n_kinderen_afgerond": "Kinderen afgerond",
}
CASELOAD_OVERZICHT = {
    "team_naam": "Team",
    "team_type": "Type",
    "eenheid": "Eenheid",
    "maand": "Maand",
    "actieve_casussen": "Actieve casussen",
    "fte": "Fte",
    "casussen_per_fte": "Per fte",
    "gewogen_casussen_per_fte": "Gewogen per fte",
    "bandbreedte_onder": "Band onder",
    "bandbreedte_boven": "Band boven",
    "referentienorm_maximum": "Referentienorm max.",
    "status_ongewogen": "Status",
    "status_gewogen": "Status gewogen",
    **VOORLOPIG,
}
KM = {"weken": "Weken sinds begin wachten", "aandeel_wachtend": "Aandeel nog wachtend"}  # weeks, as the chart
CASELOAD = {
    "maand": "Maand",
    "actieve_casussen": "Actieve casussen",
    "fte": "Fte",
    "casussen_per_fte": "Casussen per fte",
    "gewogen_casussen_per_fte": "Gewogen per fte",
    "bandbreedte_onder": "Band onder",
    "bandbreedte_boven": "Band boven",
    "referentienorm_ideaal": "Referentienorm ideaal",
    "referentienorm_maximum": "Referentienorm maximum",
    "status_ongewogen": "Status (ongewogen)",
    "status_gewogen": "Status (gewogen)",
    **VOORLOPIG,
}
# Caseload: the figure per weging and the status computed from that same figure (caseload_team); the
# status, the headline number and the chart of the caseload page always use one pair.
CASELOAD_WEGING = {
    "ongewogen": ("casussen_per_fte", "status_ongewogen"),
    "gewogen": ("gewogen_casussen_per_fte", "status_gewogen"),
}
FACTOREN = {
    "factor_groep": "Groep",
    "factor_label": "Factor",
    "kwartaal": "Kwartaal",
    "gemiddelde_score": "Gemiddelde score (1–5)",
    "n_medewerkers": "Medewerkers",
    "vorig_kwartaal": "Vorige meting",
    "vorige_score": "Vorige score (1–5)",
    "vorige_n_medewerkers": "Medewerkers vorige meting",
}
SIGNALEN_MAAND = {"maand": "Maand", "type": "Signaal", "aantal": "Aantal", **VOORLOPIG}
SIGNALEN_LIJST = {
    "datum": "Datum",
    "gemeente": "Gemeente",
    "aanbieder": "Aanbieder",
    "client_pseudoniem": "Cliënt (pseudoniem)",
    "detail": "Toelichting",
}
LAADRAPPORT = {
    "soort": "Soort",
    "status": "Status",
    "bestanden": "Bestanden",
    "records_gelezen": "Records gelezen",
    "records_geladen": "Geladen",
    "records_quarantaine": "Quarantaine",
}
QUARANTAINE = {
    "code": "Code",
    "soort": "Soort",
    "records": "Records",
    "bestanden": "Bestanden",
    "voorbeeld_reden": "Voorbeeld van de reden",
}
DEKKING = {
    "bron": "Bron",
    "aanbieder": "Aanbieder",
    "maand": "Maand",
    "aantal": "Aantal",
    "voorlopig": "Voorlopig",
}
KOPPELING = {
    "aanbieder": "Aanbieder",
    "aanmeldingen": "Aanmeldingen",
    "aanmeldingen_ongekoppeld": "Aanmeldingen zonder toewijzing",
    "toewijzingen_ongekoppeld": "Toewijzingen zonder aanmelding",
}
PROFIELEN = {
    "aanbieder": "Aanbieder",
    "aandeel_start_is_intake": "Start = intakedatum",
    "aandeel_start_is_behandeling": "Start = behandeldatum",
    "gemiddelde_toewijzing_start_dagen": "Gem. toewijzing→start (dagen)",
    "cv_toewijzing_start": "Variatiecoëfficiënt",
    "is_constante_startgap": "Verdacht constant",
    "gepubliceerd_behandeling_weken": "Gepubliceerd behandeling (wk)",
    "berekend_behandeling_weken": "Berekend behandeling (wk)",
    "is_gepubliceerd_afwijkend": "Gepubliceerd wijkt af",
    "aandeel_starts_maandeinde": "Starts aan maandeinde",
    "n_batch_maanden": "Batchmaanden",
}

# Chain signal types (sql/marts/signalen.sql, docs/definitions.md#signalen): code -> the name a reader sees
# in the legend, the signal picker, the list's title and the CSV.
SIGNAALTYPEN = {
    "vot_beslistermijn_overschreden": "Verzoek om toewijzing: beslistermijn overschreden",
    "vot_in_onderzoek_te_lang": "Verzoek om toewijzing: te lang in onderzoek",
    "toewijzing_zonder_start": "Toewijzing zonder start",
    "verlopen_tijdens_wachten": "Toewijzing verlopen tijdens het wachten",
    "stop_zonder_start": "Stop zonder start",
    "declaratie_zonder_start": "Declaratie zonder start",
    "declaratie_buiten_toewijzing": "Declaratie buiten de toewijzing",
    "overlappende_toewijzingen": "Overlappende toewijzingen",
    "starts_in_batch": "Starts in batch gemeld",
}


def signaaltype(code: str) -> str:
    """The Dutch name of a signal type (an unknown code is shown as it is, never dropped)."""
    return SIGNAALTYPEN.get(code, code)


# Status of a file in the load report (pipelines/report.py STATUSES)
LAADSTATUS = {
    "loaded": "geladen",
    "partial": "deels geladen",
    "quarantined": "in quarantaine",
    "duplicate": "dubbel (overgeslagen)",
}
# Kind of a delivered file (pipelines/report.py FileReport.kind; pipelines/tabular/layouts.py)
BESTANDSSOORT = {
    "ijw-xml": "iJw-berichten (XML)",
    "ijw-csv": "iJw-export (CSV)",
    "wachttijden": "Wachttijdregistratie",
    "wachttijden_gepubliceerd": "Gepubliceerde wachttijden",
    "caseload": "Caseload",
    "factoren": "Factorscores",
    "teams": "Teams",
    "team_fte": "Fte per team",
    "organisaties": "Organisaties",
    "onbekend": "Onbekend",
}
# Caseload status against the band (sql/marts/caseload_team.sql; docs/definitions.md#caseload-status)
CASELOAD_STATUS = {
    "onder_band": "onder de band",
    "binnen_band": "binnen de band",
    "boven_band": "tot 10% erboven",
    "ver_boven_band": "10% of meer erboven",
}
# column -> value labels: format.format_table shows these columns by their Dutch names (tables and CSVs)
WAARDE_LABELS = {
    "status": LAADSTATUS,
    "soort": BESTANDSSOORT,
    "type": SIGNAALTYPEN,
    "status_ongewogen": CASELOAD_STATUS,
    "status_gewogen": CASELOAD_STATUS,
}

# Direction of each indicator with a change shown beside it (KPI cards): "lager_beter" = up is bad (red),
# "hoger_beter" = up is good (green), None = no direction (a flow or a stock is neither good nor bad; grey).
# The one home for how a change is coloured: components.kpi and components.wacht_kaart read it.
RICHTING: dict[str, str | None] = {
    "instroom": None,
    "in_zorg": None,
    "uitstroom": None,
    "uitstroom_voortijdig": "lager_beter",
    "kinderen_wachtend": "lager_beter",
    "n_wachtend": "lager_beter",
    "wachttijd": "lager_beter",
}
_DELTA_KLEUR = {"lager_beter": "inverse", "hoger_beter": "normal", None: "off"}


def delta_kleur(indicator: str) -> str:
    """Streamlit's delta_color for a change of `indicator` (KeyError for an indicator without a direction
    entry: every compared indicator must be declared in RICHTING)."""
    return _DELTA_KLEUR[RICHTING[indicator]]


# Headings whose values count children, trajectories or waits: small-number protection applies to these
# (tests/app scan every table and download for values 1..k-1 under them). Record and file counts of the
# load report and quarantine are about deliveries, not children, and are not listed.
PERSON_COUNTS = frozenset(
    {
        "Afgerond (n)",
        "Nog wachtend (n)",
        "Unieke kinderen wachtend",
        "Wachtend boven norm (n)",
        "Instroom",
        "Instroom unieke kinderen",
        "In zorg",
        "Uitstroom",
        "Uitstroom volgens plan",
        "Uitstroom voortijdig",
        "Uitstroom overig",
        "Uitstroom zonder stopbericht",
        "Opschaling",
        "Afschaling",
        "Stapeling",
        "Herinstroom",
        "18 geworden in zorg",
        "In zorg (eind periode)",
        "Trajecten",
        "Kinderen",
        "Kinderen afgerond",
        "Nog wachtend (registraties)",
        "Nog wachtend (unieke kinderen)",
        "Aantal",
        "Actieve casussen",
        # Vooruitblik (queries.vooruitblik_*): queue sizes, demand, capacity, reneges, expected-wait groups
        "Wachtenden",
        "Werkelijk wachtend",
        "Instroom 52 weken",
        "Starts 52 weken",
        "Afvallers 52 weken",
        "Wachttijden (n)",
    }
)


# Leersessie page (views/leersessie.py): the funnel's indicators and units, the SPC marks (pipelines/spc.py
# codes -> what a reader sees, with the Making Data Count colours) and the funnel's table and download.
TRECHTER_INDICATOREN = {
    "wachttijd": "Binnen de norm",  # wachttijden
    "uitstroom": "Uitstroom",
    "caseload": "Caseload",
}
TRECHTER_EENHEDEN = {"aanbieder": "Aanbieders", "gemeente": "Gemeenten", "team": "Teams"}
TRECHTER_LIGGING = {  # per unit: where its point lies against the limits
    "binnen": "binnen de grenzen",
    "buiten_95": "buiten de 95%-grenzen",
    "buiten_998": "buiten de 99,8%-grenzen",
    "geen_grenzen": "geen grenzen (minder dan drie eenheden)",
}
TRECHTER = {
    "naam": "Naam",
    "volume": "Omvang",
    "waarde": "Waarde",
    "ligging": "Ligging",
    "ondergrens_998": "Ondergrens 99,8%",
    "ondergrens_95": "Ondergrens 95%",
    "bovengrens_95": "Bovengrens 95%",
    "bovengrens_998": "Bovengrens 99,8%",
}
SPC_INDICATOREN = {
    "instroom": "instroom",
    "uitstroom": "uitstroom",
    "mediaan": "mediaan afgeronde wachttijd",
    "wachtend": "kinderen wachtend",
}
SPC_PUNT = {  # pipelines/spc.py punt_type -> legend text
    "gewone_variatie": "gewone variatie",
    "verbetering": "verbetering",
    "zorg": "zorgpunt",
    "neutraal": "signaal (geen goede richting)",
}
SPC_KLEUR = {"gewone_variatie": "#a6a6a6", "verbetering": "#289de0", "zorg": "#fab428", "neutraal": "#490092"}
SPC_BADGE: dict[str, Literal["gray", "blue", "orange", "violet"]] = {
    "gewone_variatie": "gray",
    "verbetering": "blue",
    "zorg": "orange",
    "neutraal": "violet",
}  # st.badge
SPC_VARIATIE = {  # Spc.variatie -> (text, the point type whose colour the mark takes)
    "gewone_variatie": ("Gewone variatie", "gewone_variatie"),
    "verbetering_hoog": ("Verbetering: hoger", "verbetering"),
    "verbetering_laag": ("Verbetering: lager", "verbetering"),
    "zorg_hoog": ("Zorg: hoger", "zorg"),
    "zorg_laag": ("Zorg: lager", "zorg"),
    "neutraal_hoog": ("Signaal: hoger", "neutraal"),
    "neutraal_laag": ("Signaal: lager", "neutraal"),
}
SPC_ZEKERHEID = {  # Spc.zekerheid -> (text, colour as a point type); None: no norm to compare with
    "steeds_gehaald": ("Norm wordt steeds gehaald", "verbetering"),
    "steeds_gemist": ("Norm wordt steeds gemist", "zorg"),
    "wisselend": ("Norm wordt wisselend gehaald", "gewone_variatie"),
}
SPC = {
    "maand": "Maand",
    "waarde": "Waarde",
    "gemiddelde": "Gemiddelde",
    "ondergrens": "Ondergrens",
    "bovengrens": "Bovengrens",
    "signaal": "Signaal",
    "voorlopig": "Voorlopig (niet in de grenzen)",
}
SPC_REGEL = {  # pipelines/spc.py regel -> why a point is a signal
    "buiten_grens": "buiten de grens",
    "trend": "trend",
    "twee_van_drie": "twee van drie dicht bij de grens",
    "verschuiving": "verschuiving",
}
TRECHTER_ASSEN = {  # indicator -> (volume axis and heading, value axis and heading)
    "wachttijd": ("Afgerond (n)", "Binnen de norm"),
    "uitstroom": ("In zorg in de periode (n)", "Uitstroom"),
    "caseload": ("Verwacht (fte × referentienorm)", "Casussen tegenover verwacht"),
}
SPC_WAARDE = {  # SPC indicator -> heading of its value in the table and download
    "instroom": "Instroom",
    "uitstroom": "Uitstroom",
    "mediaan": "Mediaan afgerond (weken)",
    "wachtend": "Unieke kinderen wachtend",
}
VOORUITBLIK_LIJSTEN = {  # queries.vooruitblik_lijsten (docs/definitions.md#wachtrij-kengetallen)
    "aanbieder": "Aanbieder",
    "categorie": "Productcategorie",
    "niveau_label": "Niveau",
    "wachtend": "Wachtenden",
    "vraag_per_week": "Vraag per week",
    "capaciteit_per_week": "Capaciteit per week",
    "afvallers_per_week": "Afvallers per week",
    "belasting": "Belasting",
    "druk": "Druk",
    "norm_weken": "Norm (weken)",
    "mediaan_weken": "Verwachte wachttijd, mediaan (weken)",
    "mediaan_weken_onder": "Mediaan: 80%-interval vanaf",
    "mediaan_weken_boven": "Mediaan: 80%-interval tot",
    "p90_weken": "90 % gestart binnen (weken)",
    "p90_weken_onder": "90 %: 80%-interval vanaf",
    "p90_weken_boven": "90 %: 80%-interval tot",
    "instroom_jaar": "Instroom 52 weken",
    "starts_jaar": "Starts 52 weken",
    "afvallers_jaar": "Afvallers 52 weken",
}
VOORUITBLIK_BACKTEST = {
    "week": "Week",
    "wachtend": "Werkelijk wachtend",
    "oorsprong": "Prognose",
    "wachtrij_p10": "Prognose 10 %",
    "wachtrij_p50": "Prognose mediaan",
    "wachtrij_p90": "Prognose 90 %",
}
VOORUITBLIK_REEKSEN = {"basis": "Basis (niets verandert)", "scenario": "Wat als"}  # forecast.wat_als soort
VOORUITBLIK_PROGNOSE = {
    "reeks": "Reeks",
    "week": "Week",
    "horizon_weken": "Weken vooruit",
    "wachtrij_p10": "Wachtrij 10 %",
    "wachtrij_p50": "Wachtrij mediaan",
    "wachtrij_p90": "Wachtrij 90 %",
    "wachttijd_weken_p50": "Verwachte wachttijd (weken)",
}
VOORUITBLIK_LEEFTIJDEN = {
    "reeks": "Reeks",
    "horizon_weken": "Weken vooruit",
    "wachtrij": "Wachtrij",
    "boven_norm": "Langer dan de norm",
    "gemiddelde_leeftijd_weken": "Gemiddeld al gewacht (weken)",
    "p90_leeftijd_weken": "90 % wacht korter dan (weken)",
}
VOORUITBLIK_NORMEN = {
    "naam": "Norm",
    "aandeel": "Aandeel binnen",
    "binnen_weken": "Binnen (weken)",
    "gemiddelde_wachttijd_weken": "Gemiddelde wachttijd die past (weken)",
    "wachtrij": "Wachtlijst die past bij de vraag",
}
VOORUITBLIK_CASELOAD = {"naam": "Kengetal", "nu": "Nu", "straks": "Met de gekozen band"}
VOORUITBLIK_VERWACHTING = {  # queries.vooruitblik_verwachting (docs/definitions.md#actualiteit-en-publicatie)
    "aanbieder": "Aanbieder",
    "categorie": "Productcategorie",
    "niveau_label": "Niveau",
    "mediaan_weken": "Verwachte wachttijd, mediaan (weken)",
    "mediaan_weken_onder": "Mediaan: 80%-interval vanaf",
    "mediaan_weken_boven": "Mediaan: 80%-interval tot",
    "p90_weken": "90 % gestart binnen (weken)",
    "n_wachttijden": "Wachttijden (n)",
    "gepubliceerd_weken": "Gepubliceerd door de aanbieder (weken)",
    "gepubliceerd_peildatum": "Gepubliceerd op peildatum",
    "laatste_gegevens": "Laatste gegevens van de lijst",
    "aanbieder_laatste_gegevens": "Laatste gegevens van de aanbieder",
    "opmerking": "Opmerking",
}
