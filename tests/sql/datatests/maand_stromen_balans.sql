-- maand_stromen: in_zorg(m) = in_zorg(m-1) + instroom(m) - uitstroom(m) per cell; uitstroom groups add up
select m.maand, m.gemeente_code, m.aanbieder_agb
from maand_stromen as m
left join maand_stromen as v
    on
        v.maand = m.maand - interval 1 month
        and v.gemeente_code = m.gemeente_code
        and v.aanbieder_agb = m.aanbieder_agb
        and v.productcategorie is not distinct from m.productcategorie
        and v.verwijzer_type = m.verwijzer_type
        and v.leeftijdsgroep = m.leeftijdsgroep
where
    m.in_zorg <> coalesce(v.in_zorg, 0) + m.instroom - m.uitstroom
    or m.in_zorg < 0
    or m.uitstroom <> m.uitstroom_volgens_plan + m.uitstroom_voortijdig + m.uitstroom_overig
    + m.uitstroom_zonder_stopbericht
    or m.instroom_unieke_kinderen > m.instroom
