-- one row per aanbieder delivering waiting-time records: provider records linked to an iJw toewijzing
-- and not linked, and toewijzingen without a provider record (see docs/aanbieders-teams.md)
-- params:
select
    k.aanbieder_agb,
    any_value(coalesce(o.naam, 'AGB ' || k.aanbieder_agb)) as aanbieder,
    count(*) filter (where k.bron = 'aanbieder') as aanmeldingen,
    count(*) filter (where k.bron = 'aanbieder' and not k.is_gekoppeld) as aanmeldingen_ongekoppeld,
    count(*) filter (
        where k.bron = 'ijw' and k.aanbieder_levert_wachttijden and k.binnen_aanbiederperiode
    ) as toewijzingen_ongekoppeld,
    sum(k.record_sleutel) filter (where k.bron = 'aanbieder') as aanmeldingen_ck,
    coalesce(sum(k.record_sleutel) filter (where k.bron = 'aanbieder' and not k.is_gekoppeld), 0)
        as aanmeldingen_ongekoppeld_ck,
    coalesce(sum(k.record_sleutel) filter (
        where k.bron = 'ijw' and k.aanbieder_levert_wachttijden and k.binnen_aanbiederperiode
    ), 0) as toewijzingen_ongekoppeld_ck
from koppeling_aanbieder_ijw as k
left join organisaties as o on o.soort = 'aanbieder' and k.aanbieder_agb = o.code
where k.aanbieder_levert_wachttijden
group by k.aanbieder_agb
order by k.aanbieder_agb
