-- one row per activiteitsmaand × maanden_na_maandeinde: iJw start/stop lines about that month by arrival delay
-- Activity date = the begindatum of a start (JW305) or the einddatum of a stop (JW307), the events the flows
-- count; arrival = the message's Dagtekening. maanden_na_maandeinde = calendar months from the activity month to
-- the Dagtekening's month, 0 when the line arrived within the activity month (or before it: a stop announced
-- ahead). is_gemeten: the month counts for the measured delivery lag (aanleververtraging): it lies after the
-- first month of the data window (whose earlier messages are not in the data) and ended at least
-- $voorlopig_meetvenster_maanden months before the peildatum (its late lines have had time to arrive). Lines
-- dated after the peildatum are not yet known and are left out.
with
regel as (
    select
        s.begindatum as activiteitsdatum,
        s.dagtekening
    from starts as s
    union all
    select
        st.einddatum as activiteitsdatum,
        st.dagtekening
    from stops as st
),

maand as (
    select
        cast(date_trunc('month', r.activiteitsdatum) as date) as activiteitsmaand,
        greatest(
            datediff('month', date_trunc('month', r.activiteitsdatum), date_trunc('month', r.dagtekening)), 0
        ) as maanden_na_maandeinde
    from regel as r
    cross join peildatum as p
    where
        r.activiteitsdatum is not null
        and r.dagtekening is not null
        and r.activiteitsdatum <= p.peildatum
        and r.dagtekening <= p.peildatum
)

select
    m.activiteitsmaand,
    m.maanden_na_maandeinde,
    count(*) as n_regels,
    (
        m.activiteitsmaand > date_trunc('month', p.venster_begin)
        and last_day(m.activiteitsmaand + to_months(cast($voorlopig_meetvenster_maanden as integer))) <= p.peildatum
    ) as is_gemeten
from maand as m
cross join peildatum as p
group by m.activiteitsmaand, m.maanden_na_maandeinde, p.venster_begin, p.peildatum
order by m.activiteitsmaand, m.maanden_na_maandeinde
