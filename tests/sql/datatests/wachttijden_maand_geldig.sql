-- wachttijden_maand: unique cells; KM median >= 0 and <= KM p92; percentiles ordered; counts consistent
select m.maand, m.niveau, m.aanbieder_agb
from wachttijden_maand as m
where
    m.km_mediaan_dagen < 0
    or m.km_p92_dagen < m.km_mediaan_dagen
    or m.mediaan_wachtdagen > m.p80_wachtdagen
    or m.p80_wachtdagen > m.p92_wachtdagen
    or m.mediaan_wachtend_dagen > m.langste_wachtend_dagen
    or m.n_unieke_kinderen_wachtend > m.n_wachtend
    or m.n_wachtend_ook_elders > m.n_wachtend
    or m.n_afgerond_binnen_norm > m.n_afgerond
    or m.km_n <> m.n_afgerond + m.n_wachtend + m.n_afgebroken
    or m.pct_binnen_norm not between 0 and 100
union all
select m.maand, m.niveau, m.aanbieder_agb
from wachttijden_maand as m
group by m.maand, m.niveau, m.gemeente_code, m.aanbieder_agb, m.productcategorie
having count(*) > 1
