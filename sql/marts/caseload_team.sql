-- one row per team × maand: active cases at month end, FTE, (weighted) cases per FTE, band, norms, both statuses
-- Active case = caseload assignment with startdatum <= month end and no einddatum before it (the month end
-- is the peildatum in the peildatum month). Weighted = sum of complexiteitsgewicht. The band valid at the
-- month end (teams) and the team type's reference norms ($caseload_referentienormen) are shown alongside.
-- Status (norms-and-methods section 7) compares cases per FTE with the band: below the lower bound
-- onder_band; within binnen_band; above the upper bound by less than $caseload_ver_boven_marge boven_band;
-- by that share or more ver_boven_band. One rule, applied to each figure: status_ongewogen to
-- casussen_per_fte, status_gewogen to gewogen_casussen_per_fte (the dashboard shows the pair it displays). Factor scores: mean per group of the latest quarter that started
-- on or before the month.
with
peil as (
    select
        p.peildatum,
        cast(date_trunc('month', p.peildatum) as date) as peilmaand
    from peildatum as p
),

team_start as (
    select
        x.team_code,
        min(x.maand) as eerste_maand
    from (
        select
            c.team_code,
            cast(date_trunc('month', c.startdatum) as date) as maand
        from caseload_toewijzingen as c
        union all
        select
            f.team_code,
            f.maand_begin as maand
        from team_fte as f
    ) as x
    group by x.team_code
),

raster as (
    select
        r.team_code,
        r.maand,
        least(last_day(r.maand), pk.peildatum) as peilmoment
    from (
        select
            ts.team_code,
            cast(unnest(generate_series(ts.eerste_maand, pl.peilmaand, interval 1 month)) as date) as maand
        from team_start as ts
        cross join peil as pl
    ) as r
    cross join peil as pk
),

actief as (
    select
        r.team_code,
        r.maand,
        count(c.client_id) as actieve_casussen,
        coalesce(sum(coalesce(c.complexiteitsgewicht, 1.0)), 0) as gewogen_casussen
    from raster as r
    left join caseload_toewijzingen as c
        on
            r.team_code = c.team_code
            and c.startdatum <= r.peilmoment
            and (c.einddatum is null or c.einddatum >= r.peilmoment)
    group by r.team_code, r.maand
),

band as (
    select
        r.team_code,
        r.maand,
        t.team_naam,
        t.team_type,
        t.gemeente_code,
        t.eenheid,
        t.bandbreedte_onder,
        t.bandbreedte_boven
    from raster as r
    inner join teams as t
        on
            r.team_code = t.team_code
            and (t.geldig_vanaf is null or t.geldig_vanaf <= r.peilmoment)
            and (t.geldig_tot is null or t.geldig_tot >= r.peilmoment)
    qualify row_number() over (partition by r.team_code, r.maand order by t.geldig_vanaf desc nulls last) = 1
),

team_info as (
    select
        t.team_code,
        arg_max(t.team_naam, coalesce(t.geldig_vanaf, date '1900-01-01')) as team_naam,
        arg_max(t.team_type, coalesce(t.geldig_vanaf, date '1900-01-01')) as team_type,
        arg_max(t.gemeente_code, coalesce(t.geldig_vanaf, date '1900-01-01')) as gemeente_code
    from teams as t
    group by t.team_code
),

normen as (
    select unnest($caseload_referentienormen, recursive := true)
),

factor_kwartaal as (
    select
        f.team_code,
        make_date(f.jaar, 3 * f.kwartaalnummer - 2, 1) as kwartaal_begin,
        f.kwartaal,
        avg(f.score) filter (where f.factor_groep = 'Cliënt/Gezin') as factor_client_gezin,
        avg(f.score) filter (where f.factor_groep = 'Stelsel/keten') as factor_stelsel_keten,
        avg(f.score) filter (where f.factor_groep = 'Randvoorwaarden') as factor_randvoorwaarden,
        avg(f.score) filter (where f.factor_groep = 'Team') as factor_team
    from factorscores as f
    group by f.team_code, f.jaar, f.kwartaalnummer, f.kwartaal
),

factor as (
    select
        r.team_code,
        r.maand,
        fk.kwartaal,
        fk.factor_client_gezin,
        fk.factor_stelsel_keten,
        fk.factor_randvoorwaarden,
        fk.factor_team
    from raster as r
    inner join factor_kwartaal as fk on r.team_code = fk.team_code and fk.kwartaal_begin <= r.maand
    qualify row_number() over (partition by r.team_code, r.maand order by fk.kwartaal_begin desc) = 1
),

samen as (
    select
        a.team_code,
        a.maand,
        coalesce(b.team_naam, ti.team_naam) as team_naam,
        coalesce(b.team_type, ti.team_type) as team_type,
        coalesce(b.gemeente_code, ti.gemeente_code) as gemeente_code,
        b.eenheid,
        a.actieve_casussen,
        a.gewogen_casussen,
        fte.fte,
        case when fte.fte > 0 then a.actieve_casussen / fte.fte end as casussen_per_fte,
        case when fte.fte > 0 then a.gewogen_casussen / fte.fte end as gewogen_casussen_per_fte,
        b.bandbreedte_onder,
        b.bandbreedte_boven,
        f.kwartaal as factor_kwartaal,
        f.factor_client_gezin,
        f.factor_stelsel_keten,
        f.factor_randvoorwaarden,
        f.factor_team
    from actief as a
    left join band as b on a.team_code = b.team_code and a.maand = b.maand
    left join team_info as ti on a.team_code = ti.team_code
    left join team_fte as fte on a.team_code = fte.team_code and a.maand = fte.maand_begin
    left join factor as f on a.team_code = f.team_code and a.maand = f.maand
),

per_weging as (
    select
        s.team_code,
        s.maand,
        'ongewogen' as weging,
        s.casussen_per_fte as per_fte,
        s.bandbreedte_onder,
        s.bandbreedte_boven
    from samen as s
    union all
    select
        s.team_code,
        s.maand,
        'gewogen' as weging,
        s.gewogen_casussen_per_fte as per_fte,
        s.bandbreedte_onder,
        s.bandbreedte_boven
    from samen as s
),

beoordeling as (
    select
        w.team_code,
        w.maand,
        w.weging,
        case
            when w.per_fte is null or w.bandbreedte_boven is null then null
            when w.per_fte < w.bandbreedte_onder then 'onder_band'
            when w.per_fte <= w.bandbreedte_boven then 'binnen_band'
            when w.per_fte < w.bandbreedte_boven * (1 + cast($caseload_ver_boven_marge as double))
                then 'boven_band'
            else 'ver_boven_band'
        end as status
    from per_weging as w
),

status as (
    select
        b.team_code,
        b.maand,
        any_value(b.status) filter (where b.weging = 'ongewogen') as status_ongewogen,
        any_value(b.status) filter (where b.weging = 'gewogen') as status_gewogen
    from beoordeling as b
    group by b.team_code, b.maand
)

select
    s.team_code,
    s.maand,
    s.team_naam,
    s.team_type,
    s.gemeente_code,
    s.eenheid,
    s.actieve_casussen,
    s.gewogen_casussen,
    s.fte,
    s.casussen_per_fte,
    s.gewogen_casussen_per_fte,
    s.bandbreedte_onder,
    s.bandbreedte_boven,
    n.ideaal as referentienorm_ideaal,
    n.maximum as referentienorm_maximum,
    n.bron as referentienorm_bron,
    st.status_ongewogen,
    st.status_gewogen,
    s.factor_kwartaal,
    s.factor_client_gezin,
    s.factor_stelsel_keten,
    s.factor_randvoorwaarden,
    s.factor_team
from samen as s
left join normen as n on s.team_type = n.team_type
left join status as st on s.team_code = st.team_code and s.maand = st.maand
order by s.team_code, s.maand
