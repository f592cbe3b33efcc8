-- wachtlijst_actualiteit: one row per list of wachtlijst_week, its latest data not after the peildatum nor after the aanbieder's, a published wait only for intake and behandeling
with
lijsten as (
    select distinct w.lijst_id
    from wachtlijst_week as w
),

fout as (
    select
        coalesce(l.lijst_id, a.lijst_id) as lijst_id,
        case
            when a.lijst_id is null then 'geen rij'
            when l.lijst_id is null then 'onbekende lijst'
            when count(*) over (partition by a.lijst_id) > 1 then 'dubbel'
            when a.laatste_gegevens > a.peildatum then 'na de peildatum'
            when a.laatste_gegevens > a.aanbieder_laatste_gegevens then 'later dan de aanbieder'
            when a.gepubliceerd_weken is not null and a.niveau not in ('intake', 'behandeling') then 'stap'
            when a.gepubliceerd_maand > a.peildatum then 'publicatie na de peildatum'
        end as reden
    from lijsten as l
    full outer join wachtlijst_actualiteit as a on l.lijst_id = a.lijst_id
)

select f.lijst_id, f.reden
from fout as f
where f.reden is not null
