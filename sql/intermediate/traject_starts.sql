-- one row per valid start (start_id) linked to its trajectory, with its definitive stop (if any)
-- Link: via gemeente × toewijzingnummer × client; starts without toewijzingnummer (taakgericht work) link
-- to the trajectory of the same client × aanbieder × productcategorie whose toewijzing period holds the
-- begindatum. Starts after the peildatum and stops ending after it are ignored (not yet happened).
-- A temporary stop (JZ588 20) is not a definitive stop: a restart is just another start of the trajectory.
with
periode as (
    select
        tt.traject_id,
        tt.client_id,
        tt.aanbieder_agb,
        tt.productcategorie,
        min(tt.ingangsdatum) as ingangsdatum,
        max(coalesce(tt.einddatum, date '9000-01-01')) as einddatum
    from traject_toewijzingen as tt
    group by tt.traject_id, tt.client_id, tt.aanbieder_agb, tt.productcategorie
),

gekoppeld as (
    select
        tt.traject_id,
        s.start_id,
        s.begindatum,
        s.dagtekening
    from starts as s
    inner join traject_toewijzingen as tt
        on
            s.gemeente_code = tt.gemeente_code
            and s.toewijzingnummer = tt.toewijzingnummer
            and s.client_id = tt.client_id
    union all
    select
        pe.traject_id,
        s.start_id,
        s.begindatum,
        s.dagtekening
    from starts as s
    inner join periode as pe
        on
            s.client_id = pe.client_id
            and s.aanbieder_agb = pe.aanbieder_agb
            and s.productcategorie is not distinct from pe.productcategorie
            and s.begindatum between pe.ingangsdatum and pe.einddatum
    where s.toewijzingnummer is null
),

definitief as (
    select
        st.start_id,
        max(st.einddatum) as einddatum,
        arg_max(st.reden_beeindiging, st.einddatum) as reden_beeindiging
    from stops as st
    cross join peildatum as p
    where not st.is_tijdelijk and st.einddatum <= p.peildatum
    group by st.start_id
)

select
    g.traject_id as traject_id,
    g.start_id as start_id,
    g.begindatum as begindatum,
    g.dagtekening as dagtekening,
    d.einddatum as stop_einddatum,
    d.reden_beeindiging as reden_beeindiging
from gekoppeld as g
cross join peildatum as p
left join definitief as d on g.start_id = d.start_id
where g.begindatum <= p.peildatum
qualify row_number() over (partition by g.start_id order by g.traject_id) = 1
order by g.traject_id, g.begindatum, g.start_id
