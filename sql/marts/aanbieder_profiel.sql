-- one row per aanbieder_agb: signals that the provider may use another definition (for learning sessions)
-- aandeel_start_is_intake: of the trajectories with a start that link to a provider aanmelding of the same
-- client (same aanbieder, aanmelding on or before the start), the share whose JW305 Begindatum equals the
-- provider's intake date (pitfall 1: start = intake instead of start of treatment).
-- cv_toewijzing_start: coefficient of variation (stddev / mean) of completed toewijzing_start waits; below
-- $profiel_cv_constant with at least $profiel_min_aantal waits = a suspiciously constant gap.
-- Published vs record level: mean published aanmeldings-/behandelingswachttijd (weeks) over the published
-- months versus the mean completed intake/behandeling wait (weeks) ending in those months.
-- aandeel_starts_maandeinde: share of JW305 lines sent in the last $signalen_batch_laatste_dagen of a month.
with
aanbieders as (
    select t.aanbieder_agb from trajecten as t
    union
    select a.aanbieder_agb from aanmeldingen as a
    union
    select g.aanbieder_agb from gepubliceerde_wachttijden as g
),

koppeling as (
    select
        t.aanbieder_agb,
        t.traject_id,
        bool_or(a.datum_intake = t.startdatum) as is_start_intake,
        bool_or(a.datum_start_behandeling = t.startdatum) as is_start_behandeling
    from trajecten as t
    inner join aanmeldingen as a
        on
            t.client_id = a.client_id
            and t.aanbieder_agb = a.aanbieder_agb
            and a.datum_aanmelding <= t.startdatum
    where t.is_gestart
    group by t.aanbieder_agb, t.traject_id
),

koppel_stats as (
    select
        k.aanbieder_agb,
        count(*) as n_gekoppeld,
        count(*) filter (where k.is_start_intake) as n_start_is_intake,
        count(*) filter (where k.is_start_behandeling) as n_start_is_behandeling
    from koppeling as k
    group by k.aanbieder_agb
),

gap as (
    select
        w.aanbieder_agb,
        count(*) as n_toewijzing_start,
        avg(w.wachtdagen) as gemiddelde_toewijzing_start_dagen,
        case when avg(w.wachtdagen) > 0 then stddev_samp(w.wachtdagen) / avg(w.wachtdagen) end
            as cv_toewijzing_start
    from wachttijden as w
    where w.niveau = 'toewijzing_start' and w.einddatum is not null and not w.is_terugwerkend
    group by w.aanbieder_agb
),

gepubliceerd as (
    select
        g.aanbieder_agb,
        avg(g.aanmeldingswachttijd_weken) as gepubliceerd_aanmelding_weken,
        avg(g.behandelingswachttijd_weken) as gepubliceerd_behandeling_weken,
        list(distinct g.maand_begin) as maanden
    from gepubliceerde_wachttijden as g
    group by g.aanbieder_agb
),

berekend as (
    select
        gp.aanbieder_agb,
        avg(w.wachtdagen) filter (where w.niveau = 'intake') / 7.0 as berekend_aanmelding_weken,
        avg(w.wachtdagen) filter (where w.niveau = 'behandeling') / 7.0 as berekend_behandeling_weken
    from gepubliceerd as gp
    inner join wachttijden as w
        on
            gp.aanbieder_agb = w.aanbieder_agb
            and w.einddatum is not null
            and list_contains(gp.maanden, cast(date_trunc('month', w.einddatum) as date))
    group by gp.aanbieder_agb
),

start_melding as (
    select
        s.aanbieder_agb,
        count(*) as n_startberichten,
        count(*) filter (
            where s.dagtekening > last_day(s.dagtekening) - cast($signalen_batch_laatste_dagen as integer)
        ) as n_startberichten_maandeinde
    from starts as s
    group by s.aanbieder_agb
),

batch as (
    select
        sg.aanbieder_agb,
        count(*) as n_batch_maanden
    from signalen as sg
    where sg.type = 'starts_in_batch'
    group by sg.aanbieder_agb
)

select
    a.aanbieder_agb,
    coalesce(k.n_gekoppeld, 0) as n_gekoppeld,
    coalesce(k.n_start_is_intake, 0) as n_start_is_intake,
    case when k.n_gekoppeld > 0 then k.n_start_is_intake / k.n_gekoppeld end as aandeel_start_is_intake,
    case when k.n_gekoppeld > 0 then k.n_start_is_behandeling / k.n_gekoppeld end
        as aandeel_start_is_behandeling,
    coalesce(g.n_toewijzing_start, 0) as n_toewijzing_start,
    g.gemiddelde_toewijzing_start_dagen,
    g.cv_toewijzing_start,
    coalesce(
        g.n_toewijzing_start >= cast($profiel_min_aantal as integer)
        and g.cv_toewijzing_start < cast($profiel_cv_constant as double),
        false
    ) as is_constante_startgap,
    p.gepubliceerd_aanmelding_weken,
    b.berekend_aanmelding_weken,
    p.gepubliceerd_behandeling_weken,
    b.berekend_behandeling_weken,
    coalesce(
        abs(p.gepubliceerd_aanmelding_weken - b.berekend_aanmelding_weken)
        > cast($profiel_verschil_weken as double)
        or abs(p.gepubliceerd_behandeling_weken - b.berekend_behandeling_weken)
        > cast($profiel_verschil_weken as double),
        false
    ) as is_gepubliceerd_afwijkend,
    coalesce(sm.n_startberichten, 0) as n_startberichten,
    case when sm.n_startberichten > 0 then sm.n_startberichten_maandeinde / sm.n_startberichten end
        as aandeel_starts_maandeinde,
    coalesce(bt.n_batch_maanden, 0) as n_batch_maanden
from aanbieders as a
left join koppel_stats as k on a.aanbieder_agb = k.aanbieder_agb
left join gap as g on a.aanbieder_agb = g.aanbieder_agb
left join gepubliceerd as p on a.aanbieder_agb = p.aanbieder_agb
left join berekend as b on a.aanbieder_agb = b.aanbieder_agb
left join start_melding as sm on a.aanbieder_agb = sm.aanbieder_agb
left join batch as bt on a.aanbieder_agb = bt.aanbieder_agb
where a.aanbieder_agb is not null
order by a.aanbieder_agb
