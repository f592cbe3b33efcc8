-- one row per team (team_code): its latest FTE and band, and its throughput over the 52 weeks up to the peildatum
-- The caseload link of the Vooruitblik (docs/definitions.md#caseload-capaciteit, norms-and-methods §8):
-- nieuwe_casussen = case assignments that started in the 52 weeks, afgesloten_casussen = those that ended
-- in them, gemiddelde_duur_weken = their mean length (start to end, weeks). FTE, band and cases from the
-- team's latest month in caseload_team. `<count>_ck`: cell keys (dashboard/privacy.py).
with
jaar as (
    select
        c.team_code,
        count(*) filter (where c.startdatum > p.peildatum - 364 and c.startdatum <= p.peildatum)
            as nieuwe_casussen,
        count(*) filter (where c.einddatum > p.peildatum - 364 and c.einddatum <= p.peildatum)
            as afgesloten_casussen,
        avg(datediff('day', c.startdatum, c.einddatum)) filter (
            where c.einddatum > p.peildatum - 364 and c.einddatum <= p.peildatum
        ) / 7.0 as gemiddelde_duur_weken,
        coalesce(sum(recordsleutel(c.team_code || '|' || c.client_id || '|' || cast(c.startdatum as varchar)))
            filter (where c.startdatum > p.peildatum - 364 and c.startdatum <= p.peildatum), 0)
            as nieuwe_casussen_ck,
        coalesce(sum(recordsleutel(c.team_code || '|' || c.client_id || '|' || cast(c.startdatum as varchar)))
            filter (where c.einddatum > p.peildatum - 364 and c.einddatum <= p.peildatum), 0)
            as afgesloten_casussen_ck
    from caseload_toewijzingen as c
    cross join peildatum as p
    group by c.team_code
),

laatste as (
    select
        ct.team_code,
        any_value(ct.team_naam) as team_naam,
        any_value(ct.team_type) as team_type,
        any_value(ct.gemeente_code) as gemeente_code,
        arg_max(ct.fte, ct.maand) as fte,
        arg_max(ct.bandbreedte_boven, ct.maand) as bandbreedte_boven,
        arg_max(ct.actieve_casussen, ct.maand) as actieve_casussen
    from caseload_team as ct
    where ct.fte is not null
    group by ct.team_code
)

select
    l.team_code as team_code,
    l.team_naam as team_naam,
    l.team_type as team_type,
    l.gemeente_code as gemeente_code,
    l.fte as fte,
    l.bandbreedte_boven as bandbreedte_boven,
    l.actieve_casussen as actieve_casussen,
    cast(j.nieuwe_casussen as bigint) as nieuwe_casussen,
    cast(j.afgesloten_casussen as bigint) as afgesloten_casussen,
    j.gemiddelde_duur_weken as gemiddelde_duur_weken,
    cast(j.nieuwe_casussen_ck as bigint) as nieuwe_casussen_ck,
    cast(j.afgesloten_casussen_ck as bigint) as afgesloten_casussen_ck
from laatste as l
inner join jaar as j on l.team_code = j.team_code
order by l.team_code
