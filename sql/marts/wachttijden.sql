-- one row per waiting episode per level (wachttijd_id): clock start, clock stop, days waited
-- Levels (docs/definitions.md#wachttijden): verzoek_toewijzing (JW315 -> first JW301 or JW319 afgewezen),
-- toewijzing_start (max(toewijzingsdatum, ingangsdatum) of a trajectory's first toewijzing -> first JW305),
-- aanmelding (verwijzing -> aanmelding), intake (aanmelding -> intake), behandeling (intake -> start
-- behandeling), totaal (verwijzing, else aanmelding -> start behandeling). Events after the peildatum are
-- treated as not yet happened. A clock stop before the clock start is flagged is_terugwerkend and clipped
-- to 0 days. A wait that ends without its clock-stop event (toewijzing expired without start, uitgeschreven
-- from the list) is is_afgebroken: not waiting, no einddatum, its days counted to afbreekdatum (censored).
with
reactie as (
    select
        t.aanbieder_agb,
        t.referentie_aanbieder,
        t.eerste_toewijzingsdatum as datum
    from toewijzingen as t
    where t.referentie_aanbieder is not null
    union all
    select
        a.aanbieder_agb,
        a.referentie_aanbieder,
        a.dagtekening as datum
    from antwoorden as a
    where a.is_afgewezen
),

verzoek_toewijzing as (
    select
        'verzoek_toewijzing' as niveau,
        v.aanbieder_agb || '|' || v.referentie_aanbieder as bron_sleutel,
        v.client_id,
        v.gemeente_code,
        v.aanbieder_agb,
        v.productcategorie,
        v.dagtekening as begindatum,
        (
            select min(r.datum)
            from reactie as r
            where
                r.aanbieder_agb = v.aanbieder_agb
                and r.referentie_aanbieder = v.referentie_aanbieder
                and r.datum <= p.peildatum
        ) as einddatum,
        cast(null as date) as afbreekdatum
    from verzoeken as v
    cross join peildatum as p
    where v.verzoek_soort = 'toewijzing' and v.dagtekening <= p.peildatum
),

toewijzing_start as (
    select
        'toewijzing_start' as niveau,
        t.traject_id as bron_sleutel,
        t.client_id,
        t.gemeente_code,
        t.aanbieder_agb,
        t.productcategorie,
        greatest(t.toewijzingsdatum, t.ingangsdatum) as begindatum,
        t.startdatum as einddatum,
        case when t.startdatum is null then t.einddatum end as afbreekdatum
    from trajecten as t
    cross join peildatum as p
    where greatest(t.toewijzingsdatum, t.ingangsdatum) <= p.peildatum
),

aanmelding as (
    select
        a.aanmelding_id,
        a.client_id,
        a.gemeente_code,
        a.aanbieder_agb,
        a.productcategorie,
        case when a.datum_verwijzing <= p.peildatum then a.datum_verwijzing end as verwijzing,
        a.datum_aanmelding as aanmelding,
        case when a.datum_intake <= p.peildatum then a.datum_intake end as intake,
        case when a.datum_start_behandeling <= p.peildatum then a.datum_start_behandeling end as behandeling,
        case when a.datum_uitschrijving <= p.peildatum then a.datum_uitschrijving end as uitschrijving
    from aanmeldingen as a
    cross join peildatum as p
    where a.datum_aanmelding <= p.peildatum
),

aanbieder_niveaus as (
    select
        'aanmelding' as niveau,
        a.aanmelding_id as bron_sleutel,
        a.client_id,
        a.gemeente_code,
        a.aanbieder_agb,
        a.productcategorie,
        a.verwijzing as begindatum,
        a.aanmelding as einddatum,
        cast(null as date) as afbreekdatum
    from aanmelding as a
    where a.verwijzing is not null
    union all
    select
        'intake' as niveau,
        a.aanmelding_id as bron_sleutel,
        a.client_id,
        a.gemeente_code,
        a.aanbieder_agb,
        a.productcategorie,
        a.aanmelding as begindatum,
        a.intake as einddatum,
        case when a.intake is null then a.uitschrijving end as afbreekdatum
    from aanmelding as a
    union all
    select
        'behandeling' as niveau,
        a.aanmelding_id as bron_sleutel,
        a.client_id,
        a.gemeente_code,
        a.aanbieder_agb,
        a.productcategorie,
        a.intake as begindatum,
        a.behandeling as einddatum,
        case when a.behandeling is null then a.uitschrijving end as afbreekdatum
    from aanmelding as a
    where a.intake is not null
    union all
    select
        'totaal' as niveau,
        a.aanmelding_id as bron_sleutel,
        a.client_id,
        a.gemeente_code,
        a.aanbieder_agb,
        a.productcategorie,
        coalesce(a.verwijzing, a.aanmelding) as begindatum,
        a.behandeling as einddatum,
        case when a.behandeling is null then a.uitschrijving end as afbreekdatum
    from aanmelding as a
),

alle as (
    select * from verzoek_toewijzing
    union all
    select * from toewijzing_start
    union all
    select * from aanbieder_niveaus
)

select
    md5(a.niveau || '|' || a.bron_sleutel) as wachttijd_id,
    a.niveau as niveau,
    a.client_id as client_id,
    a.gemeente_code as gemeente_code,
    a.aanbieder_agb as aanbieder_agb,
    a.productcategorie as productcategorie,
    a.begindatum as begindatum,
    a.einddatum as einddatum,
    case
        when a.einddatum is not null then greatest(datediff('day', a.begindatum, a.einddatum), 0)
        when a.afbreekdatum is not null then greatest(datediff('day', a.begindatum, a.afbreekdatum), 0)
        else datediff('day', a.begindatum, p.peildatum)
    end as wachtdagen,
    a.einddatum is null and a.afbreekdatum is null as is_wachtend,
    coalesce(a.einddatum < a.begindatum, false) as is_terugwerkend,
    a.niveau = 'toewijzing_start' and a.einddatum is null and a.afbreekdatum is not null
        as is_verlopen_zonder_start,
    a.einddatum is null and a.afbreekdatum is not null as is_afgebroken,
    case when a.einddatum is null then a.afbreekdatum end as afbreekdatum,
    recordsleutel(md5(a.niveau || '|' || a.bron_sleutel)) as wachttijd_sleutel,
    recordsleutel(a.client_id) as kind_sleutel
from alle as a
cross join peildatum as p
order by a.niveau, wachttijd_id
