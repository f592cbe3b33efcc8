-- one row per waiting episode on a list in the 52 weeks up to the peildatum: the input of the expected wait
-- (Kaplan-Meier, period analysis): an episode that began before the window enters it at the age it had
-- then (instapdagen, left truncation); a start is an event, everything else is censored; wachttijd_sleutel:
-- the episode's record key, for the cell key of the group sizes (dashboard/privacy.py)
-- params:
select
    concat_ws('|', wt.niveau, coalesce(wt.aanbieder_agb, '-'), coalesce(wt.productcategorie, '-')) as lijst_id,
    cast(wt.wachtdagen as double) as wachtdagen,
    wt.einddatum is not null as is_gestart,
    wt.is_wachtend,
    cast(greatest(datediff('day', wt.begindatum, p.peildatum - 364), 0) as double) as instapdagen,
    wt.wachttijd_sleutel
from wachttijden as wt
cross join peildatum as p
where
    wt.niveau <> 'totaal'
    and (wt.is_wachtend or coalesce(wt.einddatum, wt.afbreekdatum) >= p.peildatum - 364)
