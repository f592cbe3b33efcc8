-- maand_stromen: one row per maand x gemeente x aanbieder x categorie x verwijzer x leeftijdsgroep
select m.maand, m.gemeente_code, m.aanbieder_agb, m.productcategorie, m.verwijzer_type, m.leeftijdsgroep
from maand_stromen as m
group by all
having count(*) > 1
